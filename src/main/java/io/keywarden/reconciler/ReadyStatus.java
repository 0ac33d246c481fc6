package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.secret.SecretRenderer;
import java.time.Instant;

/**
 * The status of a key in sync: Ready with the published key, Rotating while a previous key waits
 * to retire, no failure. One function for the write that records a new key and for the converged
 * status, so that recording a key already says Ready and the converged status finds nothing left to
 * write (one status write per new key instead of two).
 */
final class ReadyStatus {
  private ReadyStatus() {}

  /** Applies the in-sync conditions to {@code s}, whose current key is recorded already. */
  static void apply(AccessKeyStatus s, AccessKey ak, String ownerName, boolean active, Instant now) {
    Long generation = ak.getMetadata().getGeneration();
    s.user = ownerName;
    Conditions.set(s.conditions, Conditions.READY, true, active ? "KeyActive" : "KeyInactive",
        "access key " + s.accessKeyId + " is " + (active ? "active" : "inactive") + " and published in Secret "
            + SecretRenderer.secretName(ak) + " (revision " + s.revision + ")", generation, now);
    if (s.previousAccessKeyId != null) {
      Conditions.set(s.conditions, Conditions.ROTATING, true, "GracePeriod",
          "previous access key " + s.previousAccessKeyId + " retires at " + s.previousRetireAt, generation, now);
    } else {
      Conditions.set(s.conditions, Conditions.ROTATING, false, "NotRotating", "no rotation in progress", generation, now);
    }
    s.observedGeneration = generation;
    s.failedAttempts = null;
    s.lastFailureTime = null;
  }
}
