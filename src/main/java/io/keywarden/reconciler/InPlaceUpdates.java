package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.NativeExpiry;

/** Steps that change the current key where it is: its state, its native expiry, its settings. */
final class InPlaceUpdates {
  private final StatusRecorder status;
  private final EventRecorder events;

  InPlaceUpdates(StatusRecorder status, EventRecorder events) {
    this.status = status;
    this.events = events;
  }

  void setState(KeyContext ctx, KeyObservation o, KeyStatus target) {
    ctx.backend.setStatus(ctx.desired.user(), o.currentKeyId(), target);
    boolean repair = target == KeyStatus.ACTIVE
        && Conditions.find(ctx.accessKey.getStatus().conditions, Conditions.READY)
            .map(c -> "KeyActive".equals(c.getReason())).orElse(false);
    if (repair) {
      events.warning(ctx.accessKey, "Repaired",
          "access key " + o.currentKeyId() + " was disabled outside keywarden; re-enabled it");
    } else {
      events.normal(ctx.accessKey, target == KeyStatus.ACTIVE ? "Activated" : "Deactivated",
          "access key " + o.currentKeyId() + " is now " + target);
    }
  }

  /** Native expiry follows the spec in place: a changed date is no reason to rotate. */
  void updateExpiry(KeyContext ctx, KeyObservation o, NativeExpiry backend) {
    backend.setExpiry(ctx.desired.user(), o.currentKeyId(), o.currentExpiresAt());
    events.normal(ctx.accessKey, "ExpiryUpdated", "access key " + o.currentKeyId() + " now expires "
        + (o.currentExpiresAt() == null ? "never" : "at " + Times.format(o.currentExpiresAt())));
  }

  /**
   * Applies the spec's name, description and policy, with its expiry and state, to the current key
   * in one update (MinIO: the policy is always resent, or MinIO would drop it).
   */
  void updateSettings(KeyContext ctx, KeyObservation o, InPlaceSettings backend) {
    KeyStatus state = o.desiredState() == KeyState.Inactive ? KeyStatus.INACTIVE : KeyStatus.ACTIVE;
    boolean changed = backend.update(ctx.desired.user(), o.currentKeyId(), new KeySettings(
        ctx.accessKey.getSpec().name, ctx.accessKey.getSpec().description, ctx.policy, o.currentExpiresAt(), state));
    String digest = ctx.settingsDigest();
    ctx.accessKey = status.update(ctx.accessKey, s -> s.appliedSettings = digest);
    if (changed) {
      events.normal(ctx.accessKey, "SettingsUpdated", "access key " + o.currentKeyId()
          + " now has the spec's name, description and policy");
    }
  }
}
