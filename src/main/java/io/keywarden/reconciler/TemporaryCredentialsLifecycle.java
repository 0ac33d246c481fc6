package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.KeyState;
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

/**
 * {@code spec.temporary}: the Secret holds temporary STS credentials (with AWS_SESSION_TOKEN) of
 * the provider's OpenID identity, refreshed before they expire, as {@code mc idp openid accesskey
 * create-with-login --sts-only} prints them once.
 *
 * <p>The decisions are {@link LifecyclePlanner}'s, on an observation where the credentials'
 * expiry is the fixed instant MinIO granted. Unlike keys, temporary credentials cannot be listed,
 * disabled or deleted at the backend and end by themselves, so there is no create fence and no
 * staged retirement: a crash between issuing and publishing leaves credentials nobody holds,
 * which expire; the credentials a refresh replaces stay valid until their own expiry, which is the
 * grace period workloads get.
 */
final class TemporaryCredentialsLifecycle {
  private static final int MAX_STEPS = 4;

  private final StatusRecorder statusRecorder;
  private final SecretStore secrets;
  private final EventRecorder events;
  private final KeywardenMetrics metrics;
  private final Clock clock;

  TemporaryCredentialsLifecycle(
      StatusRecorder statusRecorder, SecretStore secrets, EventRecorder events, KeywardenMetrics metrics, Clock clock) {
    this.statusRecorder = statusRecorder;
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
        false,
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
    // lifetimes count on keywarden's clock, like every other renewal; the expiry is MinIO's grant
    Instant createdAt = clock.instant();
    if (!(ctx.backend instanceof TemporaryCredentials backend)) {
      throw SpecProblem.invalid("spec.temporary", "this provider's backend issues no temporary credentials");
    }
    // the one backend call of a temporary-credentials step: the provider's call budget admits it first, as for keys
    ctx.admission.beforeCall();
    TemporaryKey issued;
    try {
      issued = backend.issueTemporary(ctx.desired.lifetime(), ctx.policy);
    } finally {
      ctx.admission.stepDone();
    }
    IssuedKey key = issued.key();
    long revision = ctx.accessKey.getStatus().revision == null ? 1 : ctx.accessKey.getStatus().revision + 1;
    secrets.write(ctx.accessKey, SecretPublisher.render(
        ctx, key.accessKeyId(), key.secretAccessKey(), key.sessionToken(), revision, issued.expiresAt()));
    boolean refresh = ctx.accessKey.getStatus().accessKeyId != null;
    String rotate = KeyObserver.annotation(ctx.accessKey, AccessKey.ROTATE_ANNOTATION);
    ctx.accessKey = statusRecorder.update(ctx.accessKey, s -> {
      s.accessKeyId = key.accessKeyId();
      s.createdAt = Times.format(createdAt);
      s.expiresAt = Times.format(issued.expiresAt());
      s.renewalTime = Times.format(LifecyclePlanner.renewalTime(
          createdAt, issued.expiresAt(), Duration.between(createdAt, issued.expiresAt()), ctx.desired.renewBefore()));
      s.revision = revision;
      s.rotationRequest = rotate;
      s.pendingCreate = null;
      s.appliedSettings = null;
    });
    if (refresh) {
      metrics.rotated();
    }
    events.normal(ctx.accessKey, reason, String.format(messageFormat, key.accessKeyId()));
  }

  private void rerender(KeyContext ctx, Secret existing) {
    secrets.write(ctx.accessKey, render(ctx, existing));
  }

  /** The Secret as the spec renders it around the credentials it holds. */
  private static Secret render(KeyContext ctx, Secret existing) {
    return SecretPublisher.rerender(ctx, existing, Times.parse(ctx.accessKey.getStatus().expiresAt));
  }
}
