package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.TemporaryCredentials;
import io.keywarden.backend.TemporaryKey;
import io.keywarden.api.SpecProblem;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spec.temporary}: the Secret holds temporary STS credentials (with AWS_SESSION_TOKEN) of
 * the provider's OpenID identity, refreshed before they expire, as {@code mc idp openid accesskey
 * create-with-login --sts-only} prints them once.
 *
 * <p>The decisions are {@link LifecyclePlanner}'s, on an observation where the credentials'
 * expiry is the fixed instant MinIO granted. Unlike keys, temporary credentials cannot be listed,
 * disabled or deleted at the backend and end by themselves, so there is no staged retirement: the
 * credentials a refresh replaces stay valid until their own expiry, which is the grace period
 * workloads get.
 *
 * <p>Each issue is fenced like a key's create ({@link Fence}): the fence is written with the
 * resourceVersion the decision was made on, so a reconcile started from a stale copy (the informer
 * had not yet seen the status an earlier reconcile wrote) meets a conflict and issues nothing,
 * instead of flipping the Secret to a second set. A fence left by a crash is resolved by
 * {@link InterruptedIssue}: credentials the Secret already publishes are adopted; otherwise the
 * fence is lifted and the planner issues again (what the interrupted issue got expires unused).
 */
final class TemporaryCredentialsLifecycle {
  private static final int MAX_STEPS = 4;

  private final StatusRecorder statusRecorder;
  private final Fence fence;
  private final LifecycleObserver observer;
  private final SecretStore secrets;
  private final EventRecorder events;
  private final KeywardenMetrics metrics;
  private final Clock clock;

  TemporaryCredentialsLifecycle(StatusRecorder statusRecorder, SecretStore secrets, EventRecorder events,
      LifecycleObserver observer, KeywardenMetrics metrics, Clock clock) {
    this.statusRecorder = statusRecorder;
    this.fence = new Fence(statusRecorder, observer);
    this.observer = observer;
    this.secrets = secrets;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  KeyLifecycle.Outcome converge(KeyContext ctx) {
    for (int step = 0; step < MAX_STEPS; step++) {
      Secret secret = secrets.read(ctx.accessKey);
      KeyObservation observation = observe(ctx, secret);
      Plan plan = LifecyclePlanner.plan(observation);
      switch (plan.action()) {
        case IN_SYNC -> {
          return new KeyLifecycle.Outcome(plan, observation, ctx.accessKey);
        }
        case RECOVER -> recover(ctx, secret);
        case SECRET_CONFLICT -> throw new SecretStore.SecretOwnershipConflict(
            ctx.accessKey.getMetadata().getNamespace(), SecretRenderer.secretName(ctx.accessKey));
        case CREATE -> issue(ctx, "Issued", "issued temporary credentials %s");
        case REISSUE_LOST_SECRET -> issue(ctx, "Repaired", "the Secret no longer held the credentials; issued %s");
        case EXPIRE_CURRENT -> issue(ctx, "Refreshed", "the credentials expired; issued %s");
        case ROTATE -> issue(ctx, "Refreshed", "refreshed to temporary credentials %s (" + plan.why() + ")");
        case REFRESH_SECRET -> rerender(ctx, secret);
        default -> throw new IllegalStateException(plan.action() + " cannot happen to temporary credentials");
      }
    }
    throw new IllegalStateException("no convergence after " + MAX_STEPS + " steps");
  }

  /**
   * Temporary credentials as the planner sees them: active until the instant MinIO granted, which
   * is their absolute expiry; their lifetime runs from issue to that instant.
   */
  private KeyObservation observe(KeyContext ctx, Secret secret) {
    AccessKey ak = ctx.accessKey;
    AccessKeyStatus status = ak.getStatus();
    Instant createdAt = Times.parse(status.createdAt);
    Instant expiresAt = Times.parse(status.expiresAt);
    boolean held = status.accessKeyId != null && createdAt != null && expiresAt != null;
    SecretHolding holding = KeyObserver.holding(ak, secret);
    String rotate = KeyObserver.annotation(ak, AccessKey.ROTATE_ANNOTATION);
    return new KeyObservation(
        clock.instant(),
        KeyState.Active,
        held ? expiresAt : null,
        held ? Duration.between(createdAt, expiresAt) : null,
        ctx.desired.renewBefore(),
        rotate != null && !rotate.equals(status.rotationRequest),
        status.pendingCreate != null,
        held ? status.accessKeyId : null,
        createdAt,
        held ? new KeyInfo(status.accessKeyId, ctx.ownerName, KeyStatus.ACTIVE, createdAt, expiresAt, null) : null,
        null, null, null, null,
        holding,
        holding == SecretHolding.CURRENT_KEY && !PublishedSecret.matches(secret, render(ctx, secret)),
        false,
        false,
        false,
        false,
        null,
        ctx.desired.gracePeriod(),
        null,
        null);
  }

  private void issue(KeyContext ctx, String reason, String messageFormat) {
    if (!(ctx.backend instanceof TemporaryCredentials backend)) {
      throw SpecProblem.invalid("spec.temporary", "this provider's backend issues no temporary credentials");
    }
    // lifetimes count on keywarden's clock, like every other renewal; the expiry is MinIO's grant.
    // The fence's startedAt is the credentials' createdAt, so a recovery that adopts them records the same.
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // the one backend call of a temporary-credentials step: the provider's call budget admits it
    // first, as for keys, and before the fence, so a refused step leaves nothing to recover
    ctx.admission.beforeCall();
    TemporaryKey issued;
    try {
      // throws FenceConflict when ctx.accessKey is not the newest copy: nothing is issued then
      fence.write(ctx, new PendingCreate(UUID.randomUUID().toString(), Times.format(createdAt)));
      issued = backend.issueTemporary(ctx.desired.lifetime(), ctx.policy);
    } finally {
      ctx.admission.stepDone();
    }
    observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
    IssuedKey key = issued.key();
    long revision = IssueRecorder.revisionOf(ctx.accessKey) + 1;
    secrets.write(ctx.accessKey, SecretPublisher.render(
        ctx, key.accessKeyId(), key.secretAccessKey(), key.sessionToken(), revision, issued.expiresAt()));
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
    boolean refresh = ctx.accessKey.getStatus().accessKeyId != null;
    String rotate = KeyObserver.annotation(ctx.accessKey, AccessKey.ROTATE_ANNOTATION);
    ctx.accessKey = statusRecorder.update(ctx.accessKey, s -> {
      record(s, ctx, key.accessKeyId(), createdAt, issued.expiresAt(), revision);
      s.rotationRequest = rotate;
    });
    observer.reached(LifecycleStep.KEY_RECORDED, ctx.accessKey);
    if (refresh) {
      metrics.rotated();
    }
    events.normal(ctx.accessKey, reason, String.format(messageFormat, key.accessKeyId()));
  }

  /**
   * A fence without a recorded result: an issue was interrupted (a crash, a failed Secret write).
   * Both outcomes apply only while the fence is still the one observed: a stale copy's recovery
   * re-reads on the conflict, finds the fence settled, and changes nothing.
   */
  private void recover(KeyContext ctx, Secret secret) {
    AccessKeyStatus status = ctx.accessKey.getStatus();
    PendingCreate interrupted = status.pendingCreate;
    InterruptedIssue.Published published = InterruptedIssue.Published.of(ctx.accessKey, secret);
    if (InterruptedIssue.published(status.accessKeyId, status.revision, published)) {
      AtomicBoolean adopted = new AtomicBoolean();
      ctx.accessKey = statusRecorder.update(ctx.accessKey, s -> {
        adopted.set(sameFence(s, interrupted));
        if (adopted.get()) {
          record(s, ctx, published.accessKeyId(), Times.parse(interrupted.startedAt), published.expiresAt(),
              published.revision());
        }
      });
      if (adopted.get()) {
        events.normal(ctx.accessKey, "Recovered", "an interrupted issue had published temporary credentials "
            + published.accessKeyId() + "; recorded them");
      }
    } else {
      ctx.accessKey = statusRecorder.update(ctx.accessKey, s -> {
        if (sameFence(s, interrupted)) {
          s.pendingCreate = null;
        }
      });
    }
  }

  private static boolean sameFence(AccessKeyStatus s, PendingCreate fence) {
    return s.pendingCreate != null && fence.nonce.equals(s.pendingCreate.nonce);
  }

  /** Records published credentials as current and lifts the fence. */
  private static void record(AccessKeyStatus s, KeyContext ctx, String accessKeyId, Instant createdAt, Instant expiresAt,
      long revision) {
    s.accessKeyId = accessKeyId;
    s.createdAt = Times.format(createdAt);
    s.expiresAt = Times.format(expiresAt);
    s.renewalTime = Times.format(LifecyclePlanner.renewalTime(
        createdAt, expiresAt, Duration.between(createdAt, expiresAt), ctx.desired.renewBefore()));
    s.revision = revision;
    s.pendingCreate = null;
    s.appliedSettings = null;
  }

  private void rerender(KeyContext ctx, Secret existing) {
    secrets.write(ctx.accessKey, render(ctx, existing));
  }

  /** The Secret as the spec renders it around the credentials it holds. */
  private static Secret render(KeyContext ctx, Secret existing) {
    return SecretPublisher.rerender(ctx, existing, Times.parse(ctx.accessKey.getStatus().expiresAt));
  }
}
