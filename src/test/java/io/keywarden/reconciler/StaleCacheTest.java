package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A reconcile that starts from an outdated copy of the AccessKey must never create a second key. */
@EnableKubernetesMockClient(crud = true)
class StaleCacheTest {
  static KubernetesClient client;

  @Test
  void aStaleCopyWithoutTheRecordedKeyDoesNotCreateAgain() {
    String ns = "stale";
    Crds.apply(client);
    InMemoryKeyBackend backend = new InMemoryKeyBackend(Clock.systemUTC());
    client.resource(Fixtures.credentialsSecret(ns, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin")).create();
    AccessKey stale = client.resource(Fixtures.accessKey(ns, "app", "aws", "bob")).create();

    try (KeywardenOperator operator = KeywardenTestOperator.start(client, ns, p -> backend)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        AccessKey ak = client.resources(AccessKey.class).inNamespace(ns).withName("app").get();
        return ak.getStatus() != null && ak.getStatus().accessKeyId != null;
      });
    }
    assertThat(backend.creates()).isEqualTo(1);

    // The copy read before the key was recorded: no status, an old resourceVersion.
    AccessKeyReconciler reconciler = new AccessKeyReconciler(client, new ProviderResolver(client, "keywarden"),
        new BackendCache(p -> backend), (step, ak) -> {}, Clock.systemUTC(), KeywardenTestOperator.FAST);
    var control = reconciler.reconcile(stale, null);

    assertThat(backend.creates()).isEqualTo(1);
    assertThat(backend.allKeys()).hasSize(1);
    assertThat(control.getScheduleDelay()).hasValue(Duration.ofSeconds(1).toMillis());
  }
}
