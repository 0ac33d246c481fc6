package io.keywarden.reconciler;

import io.keywarden.api.SpecProblem;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.keywarden.api.v1alpha1.ProviderStatus;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.Identity;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ResolvedProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a provider's {@code Ready} from a read-only check of its credentials (STS
 * GetCallerIdentity on AWS) and repeats the check periodically, since credentials expire.
 */
abstract class ProviderReconciler<P extends CustomResource<?, ProviderStatus>> implements Reconciler<P> {
  private static final Logger log = LoggerFactory.getLogger(ProviderReconciler.class);
  private static final Duration RECHECK = Duration.ofMinutes(5);
  private static final Duration RETRY = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final BackendCache backends;
  private final Function<P, ResolvedProvider> resolver;
  private final Clock clock;

  ProviderReconciler(KubernetesClient client, BackendCache backends, Function<P, ResolvedProvider> resolver, Clock clock) {
    this.client = client;
    this.backends = backends;
    this.resolver = resolver;
    this.clock = clock;
  }

  @Override
  public UpdateControl<P> reconcile(P cached, Context<P> context) {
    P provider = Serialization.clone(cached); // never mutate the informer's copy
    ProviderStatus status = provider.getStatus() == null ? new ProviderStatus() : provider.getStatus();
    String before = Serialization.asJson(status);
    Long generation = provider.getMetadata().getGeneration();
    Duration next = RECHECK;
    try {
      Identity identity = backends.get(resolver.apply(provider)).whoAmI();
      status.identity = identity.principal();
      Conditions.set(status.conditions, Conditions.READY, true, "CredentialsValid",
          "authenticated as " + identity.principal(), generation, clock.instant());
    } catch (SpecProblem | BackendException | KubernetesClientException e) {
      Failure failure = Failure.of(e);
      Conditions.set(status.conditions, Conditions.READY, false, failure.reason(), failure.message(), generation,
          clock.instant());
      next = RETRY;
    }
    status.observedGeneration = generation;
    if (!before.equals(Serialization.asJson(status))) {
      provider.setStatus(status);
      try {
        client.resource(provider).updateStatus();
      } catch (KubernetesClientException e) {
        log.warn("{}: could not write status: {}", provider.getMetadata().getName(), e.getMessage());
        next = Duration.ofSeconds(5);
      }
    }
    return UpdateControl.<P>noUpdate().rescheduleAfter(next);
  }
}
