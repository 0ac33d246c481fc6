package io.keywarden.reconciler;

import io.keywarden.expiry.RenewalSchedule;
import java.time.Duration;
import java.time.Instant;

/**
 * When the key a rotation replaced may be switched off. Pure: the decisions are tested
 * table-driven on a fake clock.
 *
 * <p>Without consumers the previous key retires at the time set when the new key was published
 * (published + grace period). With consumers it stays active until every consumer restarted for
 * the published revision has rolled out, then for the grace period; a rollout that outlasts its
 * timeout keeps the old key until the key's own expiry, because a running pod may still use it. A
 * revoked key, or one past its expiry or already gone at the backend, retires at once.
 */
public final class Retirement {
  private Retirement() {}

  public enum Phase {
    /** Deactivate and delete the previous key now. */
    RETIRE,
    /** The consumers have not been restarted for the published revision yet. */
    RESTART_CONSUMERS,
    /** Every consumer has rolled out just now: record when, the grace period counts from there. */
    RECORD_ROLLOUT_FINISHED,
    /** Waiting for the consumers to roll out. */
    ROLLING_OUT,
    /** The rollout outlasted its timeout: the previous key is kept until its own expiry. */
    STALLED,
    /** The consumers rolled out (or there are none); the grace period runs. */
    GRACE
  }

  /**
   * The consumers' rollout for the published revision, as recorded in status.
   *
   * @param startedAt null while the consumers still wait for their restart
   * @param finishedAt null until every consumer was seen rolled out
   * @param doneNow every consumer is rolled out according to its controller right now
   */
  public record Rollout(Instant startedAt, Instant finishedAt, boolean doneNow) {}

  /**
   * @param previousExists the backend still lists the previous key
   * @param previousExpiresAt its own expiry; null if it has none
   * @param previousRetireAt without consumers: when it retires (publish + grace)
   * @param previousRevoked it was replaced through keywarden.io/revoke
   * @param rollout the consumers' rollout for the published revision; null without consumers
   */
  public record Input(
      Instant now,
      boolean previousExists,
      Instant previousExpiresAt,
      Instant previousRetireAt,
      boolean previousRevoked,
      Rollout rollout,
      Duration gracePeriod,
      Duration rolloutTimeout) {}

  /** @param until when the decision can change by time alone; null if only events change it */
  public record Decision(Phase phase, String why, Instant until) {}

  public static Decision decide(Input in) {
    Instant now = in.now();
    if (!in.previousExists()) {
      return new Decision(Phase.RETIRE, "the previous key is already gone at the backend", null);
    }
    if (in.previousRevoked()) {
      return new Decision(Phase.RETIRE, "the previous key was revoked", null);
    }
    Instant expiry = in.previousExpiresAt();
    if (expiry != null && !expiry.isAfter(now)) {
      return new Decision(Phase.RETIRE, "the previous key reached its own expiry", null);
    }
    Rollout rollout = in.rollout();
    if (rollout == null) {
      return grace(now, in.previousRetireAt(), "the previous key's grace period is over");
    }
    if (rollout.startedAt() == null) {
      return new Decision(Phase.RESTART_CONSUMERS, "the consumers wait for their restart", null);
    }
    if (rollout.finishedAt() != null) {
      return grace(now, RenewalSchedule.retireTime(rollout.finishedAt(), in.gracePeriod(), expiry),
          "the consumers rolled out and the grace period is over");
    }
    if (rollout.doneNow()) {
      return new Decision(Phase.RECORD_ROLLOUT_FINISHED, "every consumer has rolled out", null);
    }
    Instant stallsAt = rollout.startedAt().plus(in.rolloutTimeout());
    if (!stallsAt.isAfter(now)) {
      return new Decision(Phase.STALLED, "the consumers did not roll out within the rollout timeout", expiry);
    }
    return new Decision(Phase.ROLLING_OUT, "waiting for the consumers to roll out", stallsAt);
  }

  private static Decision grace(Instant now, Instant retireAt, String why) {
    return retireAt == null || !retireAt.isAfter(now)
        ? new Decision(Phase.RETIRE, why, null)
        : new Decision(Phase.GRACE, "the grace period runs", retireAt);
  }
}
