package io.keywarden.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * The backend calls one provider may make: a rate with a burst, shared by every reconcile that uses
 * the provider. A reconcile asks {@link #admit} before it calls the backend (once per lifecycle
 * step: {@link StepAdmission}) and never waits: when
 * the budget is spent it is told how long to stay away and reschedules itself, so no reconcile
 * thread blocks and nothing hot-loops. Every call made is {@link #spent}; the calls of a reconcile
 * admitted just before the budget ran out run into debt, which later admissions pay back, so over
 * any window the provider sees at most rate × window + burst calls plus those of the reconciles in
 * flight. A throttling answer from the backend halves the rate (down to a floor) and empties the
 * burst; the rate climbs back linearly to the configured one over {@link #RECOVERY}.
 *
 * <p>The arithmetic is the generic cell rate algorithm: one instant ({@code due}) at which the
 * budget would be back to full. Callers pass the time, so tests run on any clock. Thread-safe.
 */
public final class CallBudget {
  /** How long a halved rate takes to climb back to the configured one without new throttling. */
  public static final Duration RECOVERY = Duration.ofMinutes(1);
  /** The rate never falls below the configured one divided by this, however often the backend throttles. */
  static final int MAX_SLOWDOWN = 64;

  /** What the caller may do now: go ahead, or come back after {@code retryAfter}. */
  public record Admission(boolean granted, Duration retryAfter) {
    static final Admission GRANTED = new Admission(true, Duration.ZERO);

    static Admission refused(Duration retryAfter) {
      return new Admission(false, retryAfter);
    }
  }

  private final BudgetLimit limit;
  /** When the budget is full again at the current rate: calls spent push it forward. */
  private Instant due = Instant.EPOCH;
  /** The rate right after the latest throttling answer, or the configured rate if none. */
  private double throttledRate;
  private Instant throttledAt = Instant.EPOCH;
  /** Refused callers are told to come back one call apart, in turn, not all at the same instant. */
  private Instant turnsUntil = Instant.EPOCH;

  public CallBudget(BudgetLimit limit) {
    this.limit = limit;
    this.throttledRate = limit.callsPerSecond();
  }

  public BudgetLimit limit() {
    return limit;
  }

  /**
   * Whether a reconcile may start calling the backend now; takes nothing from the budget. A refused
   * caller is given a turn: the first when the budget admits again, each next one a call later, so
   * thousands of refused reconciles return spread at the budget's rate instead of all at once.
   */
  public synchronized Admission admit(Instant now) {
    Instant earliest = due.minus(tolerance(now));
    if (!earliest.isAfter(now)) {
      return Admission.GRANTED;
    }
    Instant turn = later(earliest, turnsUntil);
    turnsUntil = turn.plus(interval(rate(now)));
    return Admission.refused(wholeMillisecondsUp(Duration.between(now, turn)));
  }

  /** One call was made (or is about to be). */
  public synchronized void spent(Instant now) {
    due = later(due, now).plus(interval(rate(now)));
  }

  /** The backend answered that it throttles us: slow down, and let the burst refill at the new rate first. */
  public synchronized void throttled(Instant now) {
    double slowed = Math.max(limit.callsPerSecond() / MAX_SLOWDOWN, rate(now) / 2);
    throttledRate = slowed;
    throttledAt = now;
    due = later(due, now).plus(interval(slowed).multipliedBy(limit.burst()));
  }

  /** The calls per second allowed at {@code now}. */
  public synchronized double rate(Instant now) {
    double configured = limit.callsPerSecond();
    if (throttledRate >= configured) {
      return configured;
    }
    double sinceThrottled = Math.max(0, Duration.between(throttledAt, now).toNanos() / 1e9);
    double regained = (configured - throttledRate) * sinceThrottled / (RECOVERY.toNanos() / 1e9);
    return Math.min(configured, throttledRate + regained);
  }

  /** How far ahead of now the budget may already be committed while a new reconcile is still admitted. */
  private Duration tolerance(Instant now) {
    return interval(rate(now)).multipliedBy(limit.burst() - 1L);
  }

  private static Duration interval(double callsPerSecond) {
    return Duration.ofNanos(Math.max(1, Math.round(1e9 / callsPerSecond)));
  }

  /**
   * The operator's requeue timer counts whole milliseconds and drops the rest: rounded down, a
   * refused caller would come back a fraction of a millisecond before its turn and lose it.
   */
  private static Duration wholeMillisecondsUp(Duration wait) {
    Duration truncated = Duration.ofMillis(wait.toMillis());
    return truncated.equals(wait) ? wait : truncated.plusMillis(1);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
