package io.keywarden.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.reconciler.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Creates AccessKeys all at once (the benchmark's own writes, as cluster-admin, from a few
 * threads) and records when each is first seen Ready through a watch. The same procedure runs for
 * keywarden and for the floor program, so their times compare.
 */
final class Burst {
  static final int CREATE_THREADS = 8;

  /** Seconds from the first create to the last Ready, and each key's seconds from its create to Ready. */
  record Result(int keys, double totalSeconds, List<Double> perKeySeconds) {
    Percentiles percentiles() {
      return new Percentiles(perKeySeconds);
    }

    double keysPerSecond() {
      return keys / totalSeconds;
    }
  }

  private Burst() {}

  static Result run(KubernetesClient admin, String namespace, int count, IntFunction<AccessKey> key, Duration timeout)
      throws Exception {
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> ready = new ConcurrentHashMap<>();
    SharedIndexInformer<AccessKey> informer = admin.resources(AccessKey.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(AccessKey ak) {
        seen(ak);
      }

      @Override
      public void onUpdate(AccessKey old, AccessKey ak) {
        seen(ak);
      }

      @Override
      public void onDelete(AccessKey ak, boolean unknownFinalState) {}

      private void seen(AccessKey ak) {
        if (ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)) {
          ready.putIfAbsent(ak.getMetadata().getName(), Clock.now());
        }
      }
    });
    try {
      long start = Clock.now();
      ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
      try {
        List<Future<?>> creates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          AccessKey ak = key.apply(i);
          creates.add(pool.submit(() -> {
            created.put(ak.getMetadata().getName(), Clock.now());
            admin.resource(ak).create();
          }));
        }
        for (Future<?> f : creates) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      long deadline = start + timeout.toNanos();
      long lastReport = Clock.now();
      while (ready.size() < count) {
        if (Clock.now() > deadline) {
          throw new IllegalStateException(ready.size() + " of " + count + " AccessKeys in " + namespace
              + " were Ready after " + timeout);
        }
        if (Clock.now() - lastReport > Duration.ofSeconds(30).toNanos()) {
          Bench.say("  " + ready.size() + "/" + count + " Ready after " + Math.round(Clock.secondsSince(start)) + " s");
          lastReport = Clock.now();
        }
        Clock.sleep(50);
      }
      long last = ready.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      List<Double> perKey = new ArrayList<>();
      ready.forEach((name, at) -> perKey.add((at - created.get(name)) / 1e9));
      return new Result(count, (last - start) / 1e9, perKey);
    } finally {
      informer.close();
    }
  }
}
