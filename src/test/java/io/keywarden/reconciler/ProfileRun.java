package io.keywarden.reconciler;

import static io.keywarden.testsupport.Awaits.soon;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.memory.MemoryBackend;
import io.keywarden.testsupport.memory.Profile;
import io.keywarden.secret.PublishedSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One profile's world on the fabric8 mock server: a namespace with a provider of the profile's
 * kind, its in-memory backend, the operator's adjustable clock, and the operators started on it.
 */
final class ProfileRun {
  static final String PROVIDER = "memory";
  /** The mock servers (one per test class) that have the CRDs: they keep them from the class's first run on. */
  private static final Set<KubernetesClient> WITH_CRDS = ConcurrentHashMap.newKeySet();

  final Profile profile;
  final KubernetesClient client;
  final AdjustableClock clock = new AdjustableClock();
  final MemoryBackend backend;
  final String ns = "p-" + UUID.randomUUID().toString().substring(0, 8);

  ProfileRun(Profile profile, KubernetesClient client) {
    this.profile = profile;
    this.client = client;
    this.backend = profile.backend(clock);
    if (WITH_CRDS.add(client)) {
      Crds.apply(client);
    }
    client.resource(Profile.credentials(ns, "provider-credentials")).create();
    client.resource(profile.provider(ns, PROVIDER, "provider-credentials")).create();
  }

  /** With {@link KeywardenTestOperator#CLOCK_DRIVEN} timings: a move of {@link #clock} is acted on at once. */
  KeywardenOperator start(KubernetesClient operatorClient, LifecycleObserver steps) {
    return KeywardenTestOperator.startClockDriven(operatorClient, ns, profile.registry(backend), profile.factory(backend),
        steps, clock);
  }

  KeywardenOperator start(KubernetesClient operatorClient, LifecycleObserver steps, AccessKeyReconciler.Settings settings,
      int reconcileThreads) {
    return KeywardenTestOperator.start(operatorClient, ns, profile.registry(backend), profile.factory(backend), steps,
        clock, settings, reconcileThreads);
  }

  KeywardenOperator start(KubernetesClient operatorClient, Map<String, BudgetLimit> callBudgets) {
    return KeywardenTestOperator.start(operatorClient, ns, profile.registry(backend), profile.factory(backend),
        (step, ak) -> {}, clock, KeywardenTestOperator.FAST, 4, callBudgets);
  }

  AccessKey accessKey(String name) {
    return Fixtures.accessKey(ns, name, PROVIDER, "bob");
  }

  AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return soon().until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
        ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }

  AccessKey awaitReady(String name) {
    return awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && ak.getStatus().pendingCreate == null);
  }

  void awaitBackend(Predicate<List<KeyInfo>> condition) {
    soon().until(() -> condition.test(backend.allKeys()));
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  /** Whether the Secret publishes {@code accessKeyId} with a secret the backend accepts. */
  boolean publishesWorkingKey(String name, String accessKeyId) {
    Secret secret = secret(name);
    return secret != null && accessKeyId.equals(value(secret, "AWS_ACCESS_KEY_ID"))
        && PublishedSecret.secretAccessKey(secret).map(s -> backend.accepts(accessKeyId, s.reveal())).orElse(false);
  }

  static String reason(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getReason()).orElse("");
  }

  static String value(Secret secret, String key) {
    String data = secret.getData() == null ? null : secret.getData().get(key);
    return data == null ? null : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }
}
