package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.expiry.RenewalSchedule;
import io.keywarden.metrics.KeywardenMetrics;
import java.time.Clock;
import java.time.Instant;

/** Records an issued or adopted key in status: it becomes current, the key it replaces previous. */
final class IssueRecorder {
  private final StatusRecorder status;
  private final EventRecorder events;
  private final LifecycleObserver observer;
  private final KeywardenMetrics metrics;
  private final Clock clock;

  IssueRecorder(StatusRecorder status, EventRecorder events, LifecycleObserver observer, KeywardenMetrics metrics,
      Clock clock) {
    this.status = status;
    this.events = events;
    this.observer = observer;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The last step of a create; {@code replaced} is null when no key stays behind to retire. */
  void recordIssued(KeyContext ctx, KeyObservation o, String accessKeyId, Instant createdAt, long revision,
      KeyInfo replaced, KeyIssuer.Announcement announcement) {
    String rotate = KeyObserver.annotation(ctx.accessKey, AccessKey.ROTATE_ANNOTATION);
    boolean wantedActive = ctx.desired.state() != KeyState.Inactive;
    String revoke = KeyObserver.annotation(ctx.accessKey, AccessKey.REVOKE_ANNOTATION);
    boolean revoked = o.revokeRequested() && replaced != null;
    Instant now = clock.instant();
    ctx.accessKey = status.update(ctx.accessKey, s -> {
      retainAsPrevious(ctx, s, replaced, o.currentExpiresAt());
      recordCurrent(ctx, s, accessKeyId, createdAt, revision);
      s.rotationRequest = rotate;
      s.revokeRequest = revoke; // a new key serves a pending revocation too: it is not the leaked one
      if (revoked) {
        s.revocation = new Revocation(revoke, replaced.accessKeyId(), accessKeyId, Times.format(now));
      }
      // Ready in the same write, except where one more step comes first: a key that should be
      // inactive, a consumers' rollout or a revocation (their Rotating condition is the converged status's)
      if (wantedActive && s.rollout == null && !revoked) {
        ReadyStatus.apply(s, ctx.accessKey, ctx.ownerName, true, now);
      }
    });
    observer.reached(LifecycleStep.KEY_RECORDED, ctx.accessKey);
    // The create's answer is enough to know the new key (created now, active, with the expiry sent),
    // and the key it replaces was observed moments ago: the next look needs no backend call.
    ctx.known.put(accessKeyId, new KeyInfo(accessKeyId, ctx.desired.user(), KeyStatus.ACTIVE, createdAt,
        expiresAt(ctx, createdAt), null));
    if (replaced != null) {
      ctx.known.put(replaced.accessKeyId(), replaced);
    }
    if (o.currentKey() != null) {
      metrics.rotated();
    }
    String message = String.format(announcement.messageFormat(), accessKeyId);
    if (revoked) {
      events.warning(ctx.accessKey, announcement.reason(), message);
    } else {
      events.normal(ctx.accessKey, announcement.reason(), message);
    }
  }

  void retainAsPrevious(KeyContext ctx, AccessKeyStatus s, KeyInfo replaced, Instant replacedExpiresAt) {
    if (replaced == null || replaced.accessKeyId().equals(s.previousAccessKeyId)) {
      return;
    }
    Instant now = clock.instant();
    s.previousAccessKeyId = replaced.accessKeyId();
    // with consumers the grace period counts from their rollout, which is still to come
    s.previousRetireAt = ConsumerSettings.hasConsumers(ctx.accessKey.getSpec()) ? null
        : Times.format(RenewalSchedule.retireTime(now, ctx.desired.gracePeriod(), replacedExpiresAt));
    s.previousExpiresAt = Times.format(replacedExpiresAt);
  }

  static void recordCurrent(KeyContext ctx, AccessKeyStatus s, String accessKeyId, Instant createdAt, long revision) {
    Instant expiresAt = expiresAt(ctx, createdAt);
    s.accessKeyId = accessKeyId;
    s.createdAt = Times.format(createdAt);
    s.expiresAt = Times.format(expiresAt);
    s.renewalTime = Times.format(LifecyclePlanner.renewalTime(
        createdAt, expiresAt, ctx.desired.lifetime(), ctx.desired.renewBefore()));
    s.revision = revision;
    s.pendingCreate = null;
    // every key after the first replaces one that running pods may hold: restart the consumers
    s.rollout = ConsumerSettings.hasConsumers(ctx.accessKey.getSpec()) && revision > 1 ? new RolloutStatus(revision) : null;
    s.appliedSettings = ctx.backend instanceof InPlaceSettings ? ctx.settingsDigest() : null;
  }

  /** When a key created at {@code createdAt} expires under the spec, or null if never. */
  static Instant expiresAt(KeyContext ctx, Instant createdAt) {
    return LifecyclePlanner.expiresAt(createdAt, ctx.desired.absoluteExpiry(), ctx.desired.lifetime());
  }

  static long revisionOf(AccessKey ak) {
    return ak.getStatus().revision == null ? 0 : ak.getStatus().revision;
  }
}
