package io.keywarden.reconciler;

import java.time.Instant;

/**
 * The next lifecycle step and why.
 *
 * @param nextCheck when a time-driven step becomes due if nothing else happens; null if none
 */
public record Plan(Action action, String why, Instant nextCheck) {

  public enum Action {
    /** A create fence without a recorded key: adopt or delete what the interrupted create left. */
    RECOVER,
    /** This process holds the fence's new key, not verified yet (it replaces a key): check it again. */
    VERIFY_NEW_KEY,
    /** This process holds the fence's new key, verified, whose Secret write failed: write it again. */
    PUBLISH_NEW_KEY,
    /** The held new key did not work within the verification window, or its Secret writes all failed: delete it. */
    ABANDON_NEW_KEY,
    /** The held new key's next attempt is not due yet: look again at {@code nextCheck}; nothing else happens meanwhile. */
    AWAIT_NEW_KEY,
    /** The Secret's name is taken by a Secret keywarden does not own. */
    SECRET_CONFLICT,
    /** No key yet: create the first one. */
    CREATE,
    /** spec.expiry has passed and the key is gone: nothing to do until the spec changes. */
    EXPIRED,
    /** The previous key's grace period is over (or its own expiry came): deactivate, delete. */
    RETIRE_PREVIOUS,
    /** The current key reached its expiry: delete it (the backend may not enforce expiry at all). */
    EXPIRE_CURRENT,
    /** The current key vanished at the backend: issue a new one. */
    REISSUE_LOST_KEY,
    /** The Secret is gone or holds another key; the secret key cannot be read back: rotate. */
    REISSUE_LOST_SECRET,
    /** Renewal time reached or rotation requested: staged rotation. */
    ROTATE,
    /** keywarden.io/revoke: a staged rotation whose replaced key retires at once. */
    REVOKE,
    /** Annotate the consumers' pod templates with the published revision. */
    RESTART_CONSUMERS,
    /** Every consumer rolled out: record when, so the grace period counts from there. */
    RECORD_ROLLOUT,
    /** The backend's native expiry of the key differs from the spec's: update it in place. */
    UPDATE_EXPIRY,
    /** Name, description or policy changed in the spec (MinIO): update the key in place. */
    UPDATE_SETTINGS,
    ACTIVATE,
    DEACTIVATE,
    /** Re-render the Secret (key names, labels) around the same key. */
    REFRESH_SECRET,
    IN_SYNC
  }

  static Plan of(Action action, String why) {
    return new Plan(action, why, null);
  }
}
