package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.keywarden.KeywardenOperator;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.budget.ProviderBudgets;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.shard.Shard;
import io.keywarden.shard.UserLeases;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.StatusVersionCheck;
import io.keywarden.testsupport.memory.TemporaryLikeBackend;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reconcile handed an outdated copy of a temporary-credentials AccessKey (the informer had not
 * yet seen the status an earlier reconcile wrote, and an event started a new reconcile) must not
 * issue again: the Secret would flip to a second set of credentials. The API server refuses status
 * writes from the stale copy with 409, as kube-apiserver does ({@link StatusVersionCheck}).
 */
class TemporaryCredentialsStaleCacheTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  final AdjustableClock clock = new AdjustableClock();
  final TemporaryLikeBackend backend = new TemporaryLikeBackend(clock);
  final String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startServer() {
    server = StatusVersionCheck.server();
    server.init();
    client = server.createClient();
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.destroy();
  }

  @BeforeEach
  void provider() {
    OpenIdProviderFixture.create(client, ns);
  }

  @Test
  void aCopyFromBeforeTheFirstIssueDoesNotIssueAgain() {
    AccessKey stale = client.resource(temporaryAccessKey()).create(); // no status yet: the plan is CREATE
    try (KeywardenOperator operator = start()) {
      awaitKey(ak -> ak.getStatus().accessKeyId != null && ak.getStatus().pendingCreate == null);
    }
    assertStaleReconcileIssuesNothing(stale);
  }

  @Test
  void aCopyFromBeforeARefreshDoesNotIssueAgain() {
    client.resource(temporaryAccessKey()).create();
    AccessKey stale;
    try (KeywardenOperator operator = start()) {
      stale = awaitKey(ak -> ak.getStatus().accessKeyId != null && ak.getStatus().pendingCreate == null
          && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
      String first = stale.getStatus().accessKeyId;
      clock.advance(Duration.ofMinutes(45)); // past the renewal time
      awaitKey(ak -> ak.getStatus().accessKeyId != null && !ak.getStatus().accessKeyId.equals(first)
          && ak.getStatus().pendingCreate == null);
    }
    // the stale copy names the first credentials, the Secret the refreshed ones: "the Secret lost them"
    assertStaleReconcileIssuesNothing(stale);
  }

  private void assertStaleReconcileIssuesNothing(AccessKey stale) {
    int issued = backend.issued().size();
    Map<String, String> published = secret().getData();
    String recorded = client.resources(AccessKey.class).inNamespace(ns).withName("sts").get().getStatus().accessKeyId;

    reconciler().reconcile(stale, emptyCaches());

    assertThat(backend.issued()).as("credentials issued").hasSize(issued);
    assertThat(secret().getData()).as("the Secret did not flip").isEqualTo(published);
    AccessKey after = client.resources(AccessKey.class).inNamespace(ns).withName("sts").get();
    assertThat(after.getStatus().accessKeyId).isEqualTo(recorded);
    assertThat(after.getStatus().pendingCreate).isNull();
  }

  private AccessKey temporaryAccessKey() {
    AccessKey accessKey = Fixtures.accessKey(ns, "sts", "sts", null);
    accessKey.getSpec().temporary = true;
    accessKey.getSpec().expiryDuration = "1h";
    return accessKey;
  }

  private KeywardenOperator start() {
    return KeywardenTestOperator.start(client, ns, StandardBackends.registry(), p -> backend, (s, ak) -> {}, clock);
  }

  /** A second reconciler on the same API server, handed the stale copy as JOSDK would hand its cached one. */
  private AccessKeyReconciler reconciler() {
    return new AccessKeyReconciler(client, new ProviderResolver(client, StandardBackends.registry(), "keywarden"),
        new BackendCache(p -> backend), new ProviderBudgets(BudgetLimit.fromEnvironment(Map.of()), clock),
        (step, ak) -> {}, new KeywardenMetrics(clock), Set.of(ns), Shard.DEFAULT,
        new KeyedLocks(UserLeases.SINGLE_INSTANCE), new EventRecorder(client, clock), clock, KeywardenTestOperator.FAST);
  }

  /**
   * JOSDK's context of a reconcile whose caches hold nothing yet (no cached Secret), so the
   * reconcile cannot rest on them and runs in full; everything else is unused here.
   */
  @SuppressWarnings("unchecked")
  private static Context<AccessKey> emptyCaches() {
    return (Context<AccessKey>) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> method.getReturnType() == Optional.class ? Optional.empty() : null);
  }

  private Secret secret() {
    return client.secrets().inNamespace(ns).withName("sts").get();
  }

  private AccessKey awaitKey(Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("sts").get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
