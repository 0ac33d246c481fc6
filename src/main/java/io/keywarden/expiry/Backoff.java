package io.keywarden.expiry;

import java.time.Duration;

/**
 * How long to wait before retrying a failed backend call. Doubling spreads retries out quickly so
 * that a struggling backend is not hammered; the cap keeps a long outage from pushing the next
 * attempt (and with it a due renewal) unreasonably far away.
 */
public final class Backoff {

  private Backoff() {}

  /**
   * {@code base * 2^(failedAttempts - 1)}, at most {@code max}; {@code base} for the first failure
   * and for counts of zero or less. Any count is safe: doubling stops once the cap is reached, so
   * nothing overflows.
   *
   * @throws IllegalArgumentException if {@code base} is not positive or {@code max} is below it
   */
  public static Duration delayAfterFailures(int failedAttempts, Duration base, Duration max) {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive, was " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("max " + max + " is shorter than base " + base);
    }
    Duration delay = base;
    for (int doubling = 1; doubling < failedAttempts; doubling++) {
      if (delay.compareTo(max.minus(delay)) > 0) {
        return max;
      }
      delay = delay.plus(delay);
    }
    return delay;
  }
}
