package io.keywarden.reconciler;

import io.keywarden.api.SpecProblem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.DeletionPolicy;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.backend.Identity;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyStatus;
import io.keywarden.budget.OverBudget;
import io.keywarden.budget.ProviderBudgets;
import io.keywarden.budget.StepAdmission;
import io.keywarden.drift.DriftChecks;
import io.keywarden.drift.DriftListings;
import io.keywarden.expiry.Backoff;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.provider.ResolvedProvider;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import io.keywarden.shard.LeaseBusy;
import io.keywarden.shard.Shard;
import io.keywarden.tenancy.AllowedUsers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles AccessKeys: validate, resolve the provider, converge the key lifecycle, record
 * status. Failures never escape as exceptions: they become {@code Ready=False} with a reason and a
 * message naming the field, and the next attempt backs off. Status-only changes do not trigger a
 * reconcile ({@link AccessKeyUpdateFilter}), so writing status cannot loop.
 */
@ControllerConfiguration(
    name = "accesskey",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = AccessKeyUpdateFilter.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class AccessKeyReconciler implements Reconciler<AccessKey>, Cleaner<AccessKey> {
  private static final Logger log = LoggerFactory.getLogger(AccessKeyReconciler.class);
  /** Another instance's create or recovery of the same user takes seconds: look again soon. */
  private static final Duration LEASE_RETRY = Duration.ofSeconds(2);

  /**
   * @param wakeMargin how long after a time it waits for (a drift slot, a retirement, a renewal) a
   *     reconcile is scheduled, so that it lands after that time rather than a moment before it:
   *     timers and the clock do not agree to the millisecond
   */
  public record Settings(Duration resyncInterval, Duration backoffBase, Duration backoffMax, Duration wakeMargin,
      KeyLifecycle.Settings lifecycle) {
    public static final Settings DEFAULT = new Settings(Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMinutes(5),
        Duration.ofSeconds(1), KeyLifecycle.Settings.DEFAULT);
  }

  private final io.fabric8.kubernetes.client.KubernetesClient client;
  private final ProviderResolver providers;
  private final BackendCache backends;
  private final KeyLifecycle lifecycle;
  private final TemporaryCredentialsLifecycle temporary;
  private final EventRecorder events;
  private final SecretStore secrets;
  private final StatusRecorder statusRecorder;
  private final KeywardenMetrics metrics;
  private final ProviderBudgets budgets;
  private final DriftChecks drift;
  private final PolicyReachCheck policyReach;
  private final FenceConflicts fenceConflicts;
  private final Clock clock;
  private final Settings settings;
  private final Shard shard;
  /** When the metrics are next pruned of AccessKeys that left this instance's informer. */
  private final AtomicReference<Instant> nextDepartureSweep = new AtomicReference<>(Instant.MIN);

  public AccessKeyReconciler(
      KubernetesClient client,
      ProviderResolver providers,
      BackendCache backends,
      ProviderBudgets budgets,
      LifecycleObserver observer,
      KeywardenMetrics metrics,
      Set<String> namespaces,
      Shard shard,
      KeyedLocks locks,
      EventRecorder events,
      Clock clock,
      Settings settings) {
    this.client = client;
    this.providers = providers;
    this.backends = backends;
    this.events = events;
    this.statusRecorder = new StatusRecorder(client);
    this.budgets = budgets;
    this.drift = new DriftChecks(settings.resyncInterval(), clock);
    this.lifecycle = new KeyLifecycle(client, statusRecorder, events, observer, metrics, namespaces,
        new DriftListings(settings.resyncInterval(), clock), locks, clock, settings.lifecycle());
    this.metrics = metrics;
    this.secrets = new SecretStore(client);
    this.temporary = new TemporaryCredentialsLifecycle(statusRecorder, secrets, events, observer, metrics, clock);
    this.policyReach = new PolicyReachCheck(secrets, events);
    this.fenceConflicts = new FenceConflicts(settings.backoffMax());
    this.clock = clock;
    this.settings = settings;
    this.shard = shard;
  }

  @Override
  public List<EventSource<?, AccessKey>> prepareEventSources(EventSourceContext<AccessKey> context) {
    // Only Secrets keywarden labelled are watched, and of those only this shard's (the Secret
    // carries its AccessKey's shard label): memory does not grow with unrelated Secrets.
    // A Secret appearing is no news: it is keywarden's own create, or, when informers start, the
    // AccessKey's own event reconciles it anyway; reacting to it would reconcile each new key, and
    // each key after a restart, twice. Changes and deletions still count.
    var config = InformerEventSourceConfiguration.from(Secret.class, AccessKey.class)
        .withLabelSelector(SecretRenderer.SELECTOR + "," + shard.selector())
        .withOnAddFilter(secret -> false)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AccessKey.class))
        .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  @Override
  public UpdateControl<AccessKey> reconcile(AccessKey resource, Context<AccessKey> context) {
    AccessKey accessKey = StatusRecorder.copyOf(resource);
    String uid = accessKey.getMetadata().getUid();
    String scope = KeyContext.scope(providerId(accessKey), accessKey.getSpec().user);
    try {
      Instant now = clock.instant();
      forgetDeparted(context, now);
      Duration resting = restingAtFirstSight(accessKey, context, scope, now);
      if (resting != null) {
        return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(resting);
      }
      KeyContext ctx = contextFor(accessKey, backend -> backend instanceof InPlaceSettings settings
          ? SpecReferences.policy(client, accessKey, settings) : null);
      ctx.sharedAnswer = drift.due(scope, uid, now);
      ctx.cached = context == null ? null : context.getSecondaryResource(Secret.class).orElse(null);
      KeyLifecycle.Outcome outcome = accessKey.getSpec().isTemporary() ? temporary.converge(ctx) : lifecycle.converge(ctx);
      fenceConflicts.clear(uid);
      drift.checked(uid, now);
      PolicyReachCheck.Verdict policy = accessKey.getSpec().isTemporary() || outcome.plan().action() == Plan.Action.EXPIRED
          ? null : policyReach.check(ctx, outcome.observation(), context.getSecondaryResource(Secret.class).orElse(null));
      return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(recordOutcome(ctx, outcome, scope, policy));
    } catch (OverBudget e) {
      log.debug("{}: {}", name(accessKey), e.getMessage());
      return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(e.retryAfter());
    } catch (FenceConflict e) {
      Duration retry = fenceConflicts.conflicted(uid);
      log.debug("{}: {}; retrying in {}", name(accessKey), e.getMessage(), retry);
      return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(retry);
    } catch (LeaseBusy e) {
      log.debug("{}: {}", name(accessKey), e.getMessage());
      metrics.leaseWait();
      return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(LEASE_RETRY);
    } catch (RuntimeException e) {
      return UpdateControl.<AccessKey>noUpdate().rescheduleAfter(recordFailure(accessKey, e));
    }
  }

  @Override
  public DeleteControl cleanup(AccessKey resource, Context<AccessKey> context) {
    AccessKey accessKey = StatusRecorder.copyOf(resource);
    policyReach.forget(accessKey.getMetadata().getUid());
    fenceConflicts.clear(accessKey.getMetadata().getUid());
    try {
      if (accessKey.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Retain) {
        secrets.release(accessKey);
        events.normal(accessKey, "Retained", "deletionPolicy Retain: the key and its Secret are kept");
        metrics.keyGone(name(accessKey));
        return DeleteControl.defaultDelete();
      }
      if (accessKey.getStatus().accessKeyId == null
          && accessKey.getStatus().previousAccessKeyId == null
          && accessKey.getStatus().pendingCreate == null) {
        return DeleteControl.defaultDelete(); // never held a key: nothing to reach the backend for
      }
      if (accessKey.getSpec().isTemporary()) {
        metrics.keyGone(name(accessKey));
        return DeleteControl.defaultDelete(); // temporary credentials end by themselves; the Secret goes with its owner
      }
      // the policy is not read: its ConfigMap may be deleted together with the AccessKey, and
      // deleting keys needs no policy
      lifecycle.deleteAll(contextFor(accessKey, backend -> null));
      metrics.keyGone(name(accessKey));
      drift.forget(accessKey.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    } catch (OverBudget e) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(e.retryAfter());
    } catch (LeaseBusy e) {
      log.debug("{}: {}", name(accessKey), e.getMessage());
      metrics.leaseWait();
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(LEASE_RETRY);
    } catch (RuntimeException e) {
      Duration delay = recordFailure(accessKey, e);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay);
    }
  }

  /** @param policy reads the key's inline policy for this backend, or gives null */
  private KeyContext contextFor(AccessKey accessKey, Function<KeyBackend, String> policy) {
    DesiredKey desired = DesiredKey.from(accessKey.getSpec());
    ResolvedProvider provider = providers.forAccessKey(accessKey.getMetadata().getNamespace(), accessKey.getSpec().provider);
    if (!accessKey.isMarkedForDeletion()) { // deleting the AccessKey deletes its keys, whoever they belong to
      AllowedUsers.enforce(provider, accessKey);
    }
    provider.kind().checkAccessKey(provider.spec(), accessKey.getSpec());
    KeyBackend backend = backends.get(provider);
    String inlinePolicy = policy.apply(backend);
    String user = desired.user();
    if (user == null) {
      Identity identity = backends.identity(provider);
      if (!identity.ownsKeys()) {
        throw SpecProblem.invalid("spec.user", "required: the provider authenticates as " + identity.principal()
            + ", which cannot hold access keys itself");
      }
      user = identity.userName();
    }
    String backendName = backendName(provider);
    return new KeyContext(accessKey, desired, provider, backend, user, inlinePolicy,
        new StepAdmission(() -> budgets.admit(provider.id(), backendName)));
  }

  /**
   * The first time this process sees a key whose status, cached Secret and spec agree: nothing to
   * ask anyone, neither the backend nor the API server; its check comes at its drift slot. Returns
   * when to look again, or null when the full reconcile runs.
   */
  private Duration restingAtFirstSight(AccessKey accessKey, Context<AccessKey> context, String scope, Instant now) {
    if (accessKey.getStatus() == null || accessKey.getStatus().accessKeyId == null
        || !drift.firstSight(accessKey.getMetadata().getUid())) {
      return null; // no key recorded: nothing can be at rest
    }
    Secret cached = context.getSecondaryResource(Secret.class).orElse(null);
    RestingKey key = RestingKey.of(accessKey, cached, now).orElse(null);
    if (key == null || drift.due(scope, accessKey.getMetadata().getUid(), now)) {
      return null;
    }
    metrics.keyPublished(name(accessKey), key.state(), key.expiresAt(),
        Times.parse(accessKey.getStatus().renewalTime));
    Instant next = drift.nextCheck(scope, now);
    if (key.nextEvent() != null && key.nextEvent().isBefore(next)) {
      next = key.nextEvent();
    }
    return Duration.between(now, next).plus(settings.wakeMargin());
  }

  /**
   * An AccessKey relabelled to another shard leaves this instance's informer without a deletion
   * (no cleanup runs), so once per drift interval the metrics keep only what the cache still holds.
   */
  private void forgetDeparted(Context<AccessKey> context, Instant now) {
    Instant due = nextDepartureSweep.get();
    if (context == null // reconcile called directly, outside JOSDK (StaleCacheIT)
        || now.isBefore(due) || !nextDepartureSweep.compareAndSet(due, now.plus(settings.resyncInterval()))) {
      return;
    }
    var served = context.getPrimaryCache();
    metrics.retainServed(name -> {
      int slash = name.indexOf('/');
      return served.get(new ResourceID(name.substring(slash + 1), name.substring(0, slash))).isPresent();
    });
  }

  /** The provider's id as {@link ProviderResolver} names it, from the reference alone (no read). */
  static String providerId(AccessKey accessKey) {
    ProviderRef ref = accessKey.getSpec().provider;
    return ref.effectiveKind() == ProviderKind.ClusterAccessKeyProvider
        ? "ClusterAccessKeyProvider/" + ref.name
        : "AccessKeyProvider/" + accessKey.getMetadata().getNamespace() + "/" + ref.name;
  }

  /** The backend kind's name (aws, minio, outscale): which call budget applies. */
  public static String backendName(ResolvedProvider provider) {
    String block = provider.kind().block();
    return block.startsWith("spec.") ? block.substring("spec.".length()) : block;
  }

  /** Writes the converged status (only if it changed) and returns when to look again. */
  private Duration recordOutcome(KeyContext ctx, KeyLifecycle.Outcome outcome, String scope, PolicyReachCheck.Verdict policy) {
    Instant now = clock.instant();
    if (outcome.plan().action() == Plan.Action.AWAIT_NEW_KEY) {
      // a new key waits for its next attempt: status already names it in the fence, the rest is unchanged
      Duration until = Duration.between(now, outcome.plan().nextCheck());
      return until.isNegative() ? Duration.ZERO : until;
    }
    AccessKey accessKey = ctx.accessKey;
    KeyObservation o = outcome.observation();
    AccessKeyStatus desired = StatusRecorder.copyOf(accessKey).getStatus();
    Long generation = accessKey.getMetadata().getGeneration();
    desired.user = ctx.ownerName;
    if (outcome.plan().action() == Plan.Action.EXPIRED) {
      String message = desired.expiresAt != null
          ? "the key expired at " + desired.expiresAt + " and was deleted; set a later spec.expiry to issue a new one"
          : "spec.expiry: " + accessKey.getSpec().expiry + " is in the past";
      Conditions.set(desired.conditions, Conditions.READY, false, "Expired", message, generation, now);
      Conditions.set(desired.conditions, Conditions.ROTATING, false, "NotRotating", "no rotation in progress", generation, now);
      metrics.keyGone(name(accessKey));
    } else {
      Instant expiresAt = o.currentExpiresAt();
      desired.expiresAt = Times.format(expiresAt);
      Instant renewalTime = LifecyclePlanner.renewalTime(o.currentCreatedAt(), expiresAt, o.lifetime(), o.renewBefore());
      desired.renewalTime = Times.format(renewalTime);
      boolean active = o.currentKey().status() == KeyStatus.ACTIVE;
      metrics.keyPublished(name(accessKey), active ? KeyState.Active : KeyState.Inactive, expiresAt, renewalTime);
      String before = Conditions.find(desired.conditions, Conditions.ROTATING).map(c -> c.getReason()).orElse(null);
      ReadyStatus.apply(desired, accessKey, ctx.ownerName, active, now);
      if (desired.rollout != null && desired.rollout.startedAt != null && !ctx.rolloutProgress.isEmpty()) {
        desired.rollout.workloads = ctx.rolloutProgress;
      }
      RotatingCondition.Value rotating = RotatingCondition.of(o.currentKeyId(), o.previousKeyId(), o.retirement(),
          Times.parse(desired.previousRetireAt), o.previousExpiresAt(), desired.rollout, desired.revocation,
          o.rolloutTimeout());
      Conditions.set(desired.conditions, Conditions.ROTATING, rotating.status(), rotating.reason(), rotating.message(),
          generation, now);
      if (RotatingCondition.ROLLOUT_STALLED.equals(rotating.reason()) && !rotating.reason().equals(before)) {
        events.warning(accessKey, RotatingCondition.ROLLOUT_STALLED, rotating.message());
      }
      policyReach.apply(accessKey, desired, policy, generation, now);
    }
    desired.observedGeneration = generation;
    desired.failedAttempts = null;
    desired.lastFailureTime = null;
    statusRecorder.replace(accessKey, desired);

    // the next drift slot of the key's scope, or sooner when the key has a time of its own
    Duration untilNext = Duration.between(now, drift.nextCheck(scope, now)).plus(settings.wakeMargin());
    Instant next = outcome.plan().nextCheck();
    if (next != null) {
      Duration until = Duration.between(now, next);
      untilNext = until.isNegative() ? Duration.ofSeconds(1) : min(untilNext, until.plus(settings.wakeMargin()));
    }
    return untilNext;
  }

  private Duration recordFailure(AccessKey accessKey, RuntimeException e) {
    Failure failure = Failure.of(e, providerId(accessKey));
    metrics.keyFailing(name(accessKey), failure.reason());
    if (failure.unexpected()) {
      log.error("{}: unexpected failure", name(accessKey), e);
    } else {
      log.warn("{}: {} {}", name(accessKey), failure.reason(), failure.message());
    }
    Instant now = clock.instant();
    int attempts = accessKey.getStatus().failedAttempts == null ? 1 : accessKey.getStatus().failedAttempts + 1;
    Duration delay = Backoff.delayAfterFailures(attempts, failure.backoffBase(settings.backoffBase(), settings.backoffMax()), settings.backoffMax());
    try {
      AccessKey fresh = statusRecorder.fresh(accessKey);
      boolean newProblem = Conditions.find(fresh.getStatus() == null ? null : fresh.getStatus().conditions, Conditions.READY)
          .map(c -> !failure.reason().equals(c.getReason()) || !failure.message().equals(c.getMessage()))
          .orElse(true);
      statusRecorder.update(fresh, s -> {
        Conditions.set(s.conditions, Conditions.READY, false, failure.reason(), failure.message(),
            fresh.getMetadata().getGeneration(), now);
        s.observedGeneration = fresh.getMetadata().getGeneration();
        s.failedAttempts = attempts;
        s.lastFailureTime = Times.format(now);
      });
      if (newProblem) {
        events.warning(fresh, failure.reason(), failure.message());
      }
    } catch (KubernetesClientException writeFailure) {
      log.warn("{}: could not record failure status: {}", name(accessKey), writeFailure.getMessage());
    }
    return delay;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String name(AccessKey accessKey) {
    return accessKey.getMetadata().getNamespace() + "/" + accessKey.getMetadata().getName();
  }
}
