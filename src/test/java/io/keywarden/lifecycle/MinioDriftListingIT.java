package io.keywarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drift checks on a real MinIO batched per provider: keys of several users confirmed by one
 * {@code list-access-keys-bulk} per drift window (FAST: 2 s), counted by the operator's own
 * {@code keywarden_backend_calls_total}; and a key removed with {@code mc admin accesskey rm}
 * found missing and re-issued.
 */
@Tag("it")
class MinioDriftListingIT {
  private static final Set<String> LOCAL =
      Set.of("whoAmI", "policyProblem", "accessKeyProblem", "secretKeyProblem", "generate");
  static MinioServer minio;
  static MinioKeyBackend root;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.start();
    root = MinioKeyBackend.create(MinioBackendConfig.of(
        minio.endpoint(), minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()));
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  @Test
  void oneBulkListingPerWindowConfirmsTheKeysOfEveryUserAndAKeyRemovedOutsideIsReissued() {
    KubernetesClient client = LocalControlPlane.shared().client();
    String ns = TestNamespaces.create(client, "minio-bulk");
    MinioServer.Credentials admin = minio.rootCredentials();
    client.resource(Fixtures.credentialsSecret(ns, "minio-admin", admin.accessKey(), admin.secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, "minio", minio.endpoint().toString(), "minio-admin")).create();
    List<String> users = List.of("ann", "ben", "cat").stream()
        .map(u -> minio.createUser(u + UUID.randomUUID().toString().substring(0, 4), "readwrite").accessKey()).toList();

    try (KeywardenOperator operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT)) {
      for (int u = 0; u < users.size(); u++) {
        for (int i = 1; i <= 2; i++) {
          client.resource(Fixtures.accessKey(ns, "key-" + u + "-" + i, "minio", users.get(u))).create();
        }
      }
      for (int u = 0; u < users.size(); u++) {
        for (int i = 1; i <= 2; i++) {
          awaitReady(client, ns, "key-" + u + "-" + i);
        }
      }
      // at rest once every key has had a check since its Ready status reached the operator's cache (a
      // check that still sees a key not Ready for its generation rightly lists its user): two windows
      Map<String, Double> settling = calls(operator);
      await().atMost(Duration.ofSeconds(90))
          .until(() -> since(settling, calls(operator)).getOrDefault("listAccount", 0.0) >= 2);
      Map<String, Double> before = calls(operator);
      await().atMost(Duration.ofSeconds(90))
          .until(() -> since(before, calls(operator)).getOrDefault("listAccount", 0.0) >= 3);
      Map<String, Double> atRest = since(before, calls(operator));
      assertThat(atRest.keySet()).as("backend calls at rest, by operation: %s", atRest).containsOnly("listAccount");

      String removed = client.resources(AccessKey.class).inNamespace(ns).withName("key-1-1").get().getStatus().accessKeyId;
      minio.mc().json("admin", "accesskey", "rm", Mc.ALIAS, removed);
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        AccessKey now = client.resources(AccessKey.class).inNamespace(ns).withName("key-1-1").get();
        return now.getStatus().accessKeyId != null && !now.getStatus().accessKeyId.equals(removed)
            && Conditions.isTrue(now.getStatus().conditions, Conditions.READY);
      });
      String reissued = client.resources(AccessKey.class).inNamespace(ns).withName("key-1-1").get().getStatus().accessKeyId;
      assertThat(root.list(users.get(1))).extracting(KeyInfo::accessKeyId).contains(reissued).doesNotContain(removed);
    }
  }

  private static void awaitReady(KubernetesClient client, String ns, String name) {
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      AccessKey ak = client.resources(AccessKey.class).inNamespace(ns).withName(name).get();
      return ak != null && ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY);
    });
  }

  /**
   * keywarden_backend_calls_total by operation, except the providers' own Ready checks (whoAmI)
   * and the checks the backend makes locally (the metered proxy counts every method).
   */
  private static Map<String, Double> calls(KeywardenOperator operator) {
    Map<String, Double> byOperation = new HashMap<>();
    operator.metrics().scrape().lines()
        .filter(l -> l.startsWith("keywarden_backend_calls_total{"))
        .forEach(l -> {
          String operation = l.replaceAll(".*operation=\"([^\"]*)\".*", "$1");
          if (!LOCAL.contains(operation)) {
            byOperation.merge(operation, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
          }
        });
    return byOperation;
  }

  private static Map<String, Double> since(Map<String, Double> before, Map<String, Double> now) {
    Map<String, Double> delta = new HashMap<>();
    now.forEach((operation, count) -> {
      double d = count - before.getOrDefault(operation, 0.0);
      if (d > 0) {
        delta.put(operation, d);
      }
    });
    return delta;
  }
}
