package io.keywarden.bench;

import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The references for MinIO key creation: the real {@code mc admin accesskey create} in a loop, and
 * a bare admin client in a loop (keywarden's MinIO client without Kubernetes: its own Argon2id and
 * AES-GCM for the encrypted bodies over the JDK HTTP client; minio-admin's MinioAdminClient needs
 * OkHttp, Guava and Kotlin, which this project leaves out). Both at a given parallelism.
 */
final class MinioLoops {
  private MinioLoops() {}

  /** Keys per second of {@code mc admin accesskey create kw/ <user>}, one process per key. */
  static double mcLoop(MinioServer minio, int keys, int parallelism, IntFunction<String> user) throws Exception {
    Mc mc = minio.mc();
    return loop(keys, parallelism, i -> {
      Mc.Result r = mc.run("admin", "accesskey", "create", Mc.ALIAS + "/", user.apply(i));
      if (!r.ok()) {
        throw new IllegalStateException("mc admin accesskey create failed: " + r.error());
      }
    });
  }

  /** Keys per second of admin add-service-account calls from one client in this JVM. */
  static double bareAdminLoop(MinioServer minio, int keys, int parallelism, IntFunction<String> user) throws Exception {
    MinioKeyBackend backend = MinioKeyBackend.create(MinioBackendConfig.of(minio.endpoint(),
        minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()).withMaxConcurrentAdminCalls(parallelism));
    return loop(keys, parallelism, i -> backend.create(new CreateKeyRequest(user.apply(i), UUID.randomUUID().toString(), null, null)));
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static double loop(int keys, int parallelism, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long start = Clock.now();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          step.run(index);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return keys / Clock.secondsSince(start);
    } finally {
      pool.shutdown();
    }
  }
}
