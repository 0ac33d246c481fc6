package io.keywarden.reconciler;

import io.keywarden.budget.BudgetLimit;
import io.keywarden.budget.ProviderBudgets;

import io.keywarden.StandardBackends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.keywarden.testsupport.LocalControlPlane;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.shard.Shard;
import io.keywarden.shard.UserLeases;
import io.keywarden.testsupport.KeywardenTestOperator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that starts from an outdated copy of the AccessKey must never create a second key:
 * the fence write carries the copy's resourceVersion and the real API server refuses it (the mock
 * server does not check resourceVersions, so this runs on kube-apiserver).
 */
@Tag("it")
class StaleCacheIT {
  @Test
  void aStaleCopyWithoutTheRecordedKeyDoesNotCreateAgain() {
    KubernetesClient client = LocalControlPlane.shared().client();
    String ns = "stale-" + UUID.randomUUID().toString().substring(0, 6);
    Crds.apply(client);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
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
    AccessKeyReconciler reconciler = new AccessKeyReconciler(client, new ProviderResolver(client, StandardBackends.registry(), "keywarden"),
        new BackendCache(p -> backend), new ProviderBudgets(BudgetLimit.fromEnvironment(Map.of()), Clock.systemUTC()),
        (step, ak) -> {}, new KeywardenMetrics(Clock.systemUTC()), Set.of(ns), Shard.DEFAULT,
        new KeyedLocks(UserLeases.SINGLE_INSTANCE), new EventRecorder(client, Clock.systemUTC()), Clock.systemUTC(),
        KeywardenTestOperator.FAST);
    var control = reconciler.reconcile(stale, null);

    assertThat(backend.creates()).isEqualTo(1);
    assertThat(backend.allKeys()).hasSize(1);
    assertThat(control.getScheduleDelay()).hasValue(Duration.ofSeconds(1).toMillis());
  }
}
