package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.backend.KeyStatus;
import io.keywarden.secret.SecretStore;

/** Steps that take keys away: the previous key after its grace period, the current key at its expiry, all keys at deletion. */
final class KeyRetirement {
  private final StatusRecorder status;
  private final SecretStore secrets;
  private final EventRecorder events;
  private final LifecycleObserver observer;

  KeyRetirement(StatusRecorder status, SecretStore secrets, EventRecorder events, LifecycleObserver observer) {
    this.status = status;
    this.secrets = secrets;
    this.events = events;
    this.observer = observer;
  }

  void retirePrevious(KeyContext ctx, KeyObservation o) {
    if (o.previousKey() != null) {
      if (o.previousKey().status() == KeyStatus.ACTIVE) {
        ctx.backend.setStatus(ctx.desired.user(), o.previousKeyId(), KeyStatus.INACTIVE);
        observer.reached(LifecycleStep.PREVIOUS_DEACTIVATED, ctx.accessKey);
      }
      ctx.backend.delete(ctx.desired.user(), o.previousKeyId());
      observer.reached(LifecycleStep.PREVIOUS_DELETED, ctx.accessKey);
      events.normal(ctx.accessKey, "PreviousKeyRetired",
          "deactivated and deleted previous access key " + o.previousKeyId());
    }
    ctx.accessKey = status.update(ctx.accessKey, s -> {
      s.previousAccessKeyId = null;
      s.previousRetireAt = null;
      s.previousExpiresAt = null;
    });
  }

  void expireCurrent(KeyContext ctx, KeyObservation o) {
    ctx.backend.delete(ctx.desired.user(), o.currentKeyId());
    secrets.delete(ctx.accessKey);
    ctx.accessKey = status.update(ctx.accessKey, s -> {
      s.accessKeyId = null;
      s.createdAt = null;
      s.renewalTime = null;
    });
    events.warning(ctx.accessKey, "Expired",
        "access key " + o.currentKeyId() + " reached its expiry at " + Times.format(o.currentExpiresAt())
            + " and was deleted");
  }

  /** Deletes every key the status names (an interrupted create is resolved before). */
  void deleteAll(KeyContext ctx) {
    AccessKeyStatus held = ctx.accessKey.getStatus();
    if (held == null) {
      return;
    }
    for (String id : new String[] {held.previousAccessKeyId, held.accessKeyId}) {
      if (id != null) {
        ctx.backend.delete(ctx.desired.user(), id);
        events.normal(ctx.accessKey, "Deleted", "deleted access key " + id);
      }
    }
  }
}
