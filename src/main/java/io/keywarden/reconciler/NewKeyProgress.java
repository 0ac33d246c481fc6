package io.keywarden.reconciler;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a key created by this process has come on its way to being recorded, as the planner
 * sees it. Null in an observation when this process holds no such key for the fence in status.
 *
 * @param startedAt when its create fence was written: the verification window counts from here
 * @param verified it worked when checked, or needs no check (a first key replaces nothing)
 * @param failedWrites how many times writing it to the Secret failed
 * @param nextAttemptAt when the next verification or Secret write is due; null: now
 * @param verifyTimeout how long a new key may take to become usable before it is given up
 * @param writeAttempts how many Secret writes are tried before the key is given up
 */
public record NewKeyProgress(Instant startedAt, boolean verified, int failedWrites, Instant nextAttemptAt,
    Duration verifyTimeout, int writeAttempts) {

  /** When an unverified key is given up. */
  public Instant verifyDeadline() {
    return startedAt.plus(verifyTimeout);
  }
}
