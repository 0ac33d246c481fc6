package io.keywarden.shard;

import java.time.Instant;

/** When a (provider, user) Lease may be taken: the rule alone, on the taker's clock. */
final class LeaseTerms {
  private LeaseTerms() {}

  /**
   * Free when nobody holds it, when this instance does (a give-up that failed to reach the API
   * server), or when its holder let it lapse: not renewed for longer than its duration.
   */
  static boolean free(String holder, String self, Instant renewed, Integer durationSeconds, Instant now) {
    if (holder == null || holder.isEmpty() || holder.equals(self)) {
      return true;
    }
    if (renewed == null || durationSeconds == null) {
      return true; // written by something that is not a holder keeping it alive
    }
    return now.isAfter(renewed.plusSeconds(durationSeconds));
  }
}
