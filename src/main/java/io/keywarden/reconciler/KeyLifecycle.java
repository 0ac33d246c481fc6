package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import io.keywarden.drift.DriftListings;
import java.time.Clock;
import io.keywarden.rollout.ConsumerRestarter;
import io.keywarden.rollout.RestartDampener;
import io.keywarden.rollout.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Converges a key: observe, let {@link LifecyclePlanner} choose the one next step, carry it out,
 * until the key is in sync or waits for a time. The steps own the crash-safety rules:
 * the fence before the one create call, the Secret written at once, recovery that only removes
 * what nobody references.
 */
public final class KeyLifecycle {
  /** Steps per reconcile; a normal create or rotation needs at most three. */
  private static final int MAX_STEPS = 8;

  /**
   * @param verifyTimeout how long a new key that replaces another may take to become usable (counted from its fence)
   * @param retryInterval how long a new key waits between its verifications or its Secret writes (a requeue, not a sleep)
   * @param secretWriteAttempts how many times a new key's Secret write is tried, one per reconcile
   * @param restartWindow how long a consumer restart waits for other AccessKeys restarting the same workload
   */
  public record Settings(Duration verifyTimeout, Duration retryInterval, int secretWriteAttempts, Duration restartWindow) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, Duration.ofSeconds(15));
  }

  /** Where converging stopped: in sync (possibly waiting for a time) or expired. */
  public record Outcome(Plan plan, KeyObservation observation, AccessKey accessKey) {}

  private final KeyObserver observer;
  private final SecretPublisher publisher;
  private final FenceRecovery recovery;
  private final KeyIssuer generatedKeys;
  private final KeyIssuer chosenKeys;
  private final KeyRetirement retirement;
  private final InPlaceUpdates updates;
  private final ConsumerSteps consumers;
  private final NewKeys newKeys;

  KeyLifecycle(KubernetesClient client, StatusRecorder status, EventRecorder events, LifecycleObserver steps,
      KeywardenMetrics metrics, Set<String> namespaces, DriftListings answers, KeyedLocks locks,
      Clock clock, Settings settings) {
    SecretStore secrets = new SecretStore(client);
    Fence fence = new Fence(status, steps);
    IssueRecorder recorder = new IssueRecorder(status, events, steps, metrics, clock);
    this.consumers = new ConsumerSteps(
        new ConsumerRestarter(new Workloads(client), new RestartDampener(settings.restartWindow())),
        status, events, steps, clock);
    this.publisher = new SecretPublisher(secrets);
    this.newKeys = new NewKeys(fence, publisher, recorder, steps, locks, clock, settings);
    this.observer = new KeyObserver(secrets, answers, consumers, newKeys, clock);
    this.generatedKeys = new GeneratedKeyIssuer(locks, fence, newKeys, steps, clock);
    this.chosenKeys = new ChosenKeyIssuer(client, locks, fence, publisher, newKeys, recorder, steps, clock);
    this.recovery = new FenceRecovery(locks, status,
        new ChosenKeyRecovery(status, secrets, fence, recorder, events, metrics),
        new OrphanRecovery(status, secrets, new KeyReferences(client, namespaces), recorder, events, metrics));
    this.retirement = new KeyRetirement(status, secrets, events, steps);
    this.updates = new InPlaceUpdates(status, events);
  }

  Outcome converge(KeyContext ctx) {
    for (int step = 0; step < MAX_STEPS; step++) {
      KeyObservation observation = observer.observe(ctx);
      Plan plan = LifecyclePlanner.plan(observation);
      if (plan.action() == Plan.Action.IN_SYNC || plan.action() == Plan.Action.EXPIRED
          || plan.action() == Plan.Action.AWAIT_NEW_KEY) {
        return new Outcome(plan, observation, ctx.accessKey);
      }
      if (ctx.sharedAnswer) {
        // a shared answer only ever confirms; acting on it would rest a create or delete on a stale read
        ctx.sharedAnswer = false;
        observer.changed(ctx);
        continue;
      }
      if (plan.action() == Plan.Action.RESTART_CONSUMERS) {
        Instant waitUntil = consumers.restart(ctx);
        if (waitUntil != null) {
          return new Outcome(new Plan(Plan.Action.IN_SYNC, "consumer restarts wait for other AccessKeys", waitUntil),
              observation, ctx.accessKey);
        }
        continue;
      }
      // mostly admitted already, by the lookup that observed this step: observation and step are one admission
      ctx.admission.beforeCall();
      try {
        execute(ctx, plan, observation);
      } finally {
        ctx.admission.stepDone();
        observer.changed(ctx);
      }
    }
    throw new IllegalStateException("no convergence after " + MAX_STEPS + " steps");
  }

  private void execute(KeyContext ctx, Plan plan, KeyObservation o) {
    KeyIssuer issuer = ctx.backend instanceof ChosenCredentials ? chosenKeys : generatedKeys;
    switch (plan.action()) {
      case RECOVER -> recovery.recover(ctx);
      case VERIFY_NEW_KEY, PUBLISH_NEW_KEY -> newKeys.proceed(ctx, o);
      case ABANDON_NEW_KEY -> newKeys.abandon(ctx, plan.why());
      case SECRET_CONFLICT -> throw new SecretStore.SecretOwnershipConflict(
          ctx.accessKey.getMetadata().getNamespace(), SecretRenderer.secretName(ctx.accessKey));
      case CREATE -> issuer.issue(ctx, o, new KeyIssuer.Announcement("Created", "created access key %s"));
      case REISSUE_LOST_KEY -> issuer.issue(ctx, o, new KeyIssuer.Announcement("Repaired",
          "access key " + o.currentKeyId() + " was deleted outside keywarden; issued %s"));
      case REISSUE_LOST_SECRET -> issuer.issue(ctx, o, new KeyIssuer.Announcement("Repaired",
          "the Secret no longer held the key; issued %s"));
      case ROTATE -> issuer.issue(ctx, o, new KeyIssuer.Announcement("Rotated",
          "rotated to access key %s (" + plan.why() + ")"));
      case REVOKE -> issuer.issue(ctx, o, new KeyIssuer.Announcement("Revoked", "revoked access key " + o.currentKeyId()
          + " (keywarden.io/revoke=" + KeyObserver.annotation(ctx.accessKey, AccessKey.REVOKE_ANNOTATION)
          + "): published %s; the revoked key is deactivated and deleted now"));
      case RECORD_ROLLOUT -> consumers.recordRollout(ctx, o);
      case RESTART_CONSUMERS -> throw new IllegalArgumentException("restarts are run by converge");
      case RETIRE_PREVIOUS -> retirement.retirePrevious(ctx, o);
      case EXPIRE_CURRENT -> retirement.expireCurrent(ctx, o);
      case UPDATE_EXPIRY -> updates.updateExpiry(ctx, o, (NativeExpiry) ctx.backend);
      case UPDATE_SETTINGS -> updates.updateSettings(ctx, o, (InPlaceSettings) ctx.backend);
      case ACTIVATE -> updates.setState(ctx, o, KeyStatus.ACTIVE);
      case DEACTIVATE -> updates.setState(ctx, o, KeyStatus.INACTIVE);
      case REFRESH_SECRET -> publisher.refresh(ctx);
      case IN_SYNC, EXPIRED, AWAIT_NEW_KEY -> throw new IllegalArgumentException(plan.action() + " is not a step");
    }
  }

  /** Deletes every key the AccessKey holds, resolving an interrupted create first. */
  void deleteAll(KeyContext ctx) {
    ctx.admission.beforeCall();
    try {
      newKeys.forget(ctx); // a new key not recorded yet is the fence's: recovery deletes it
      if (ctx.accessKey.getStatus() != null && ctx.accessKey.getStatus().pendingCreate != null) {
        recovery.recoverBeforeDeletion(ctx);
      }
      retirement.deleteAll(ctx);
    } finally {
      observer.changed(ctx);
    }
  }
}
