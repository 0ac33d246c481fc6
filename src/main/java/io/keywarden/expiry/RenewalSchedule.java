package io.keywarden.expiry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a key is replaced, and when the key it replaced is switched off. Renewal happens ahead of
 * expiry so that consumers hold the new key before the old one stops working, and so that a failed
 * renewal has time to be retried.
 */
public final class RenewalSchedule {

  private RenewalSchedule() {}

  /**
   * The renewal margin when the spec sets none: a third of the lifetime. A fixed margin would be
   * too long for short-lived keys and too short for long-lived ones; a third scales with the key
   * and still leaves most of the lifetime before churn starts.
   *
   * @throws IllegalArgumentException if {@code lifetime} is zero or negative
   */
  public static Duration defaultRenewBefore(Duration lifetime) {
    requirePositive(lifetime);
    return lifetime.dividedBy(3);
  }

  /**
   * When a key should be renewed: {@code renewBefore} ahead of its expiry, but never before the
   * middle of its lifetime.
   *
   * <p>The clamp exists because a margin as long as the lifetime would make every new key due the
   * moment it is created, and keywarden would rotate forever. With it a key is used for at least
   * half its lifetime, so rotation is at most twice as frequent as the lifetime implies. It is the
   * later of the two times rather than a rule that applies only once the margin reaches the whole
   * lifetime, so a larger margin never moves renewal later.
   *
   * @param renewBefore the margin from the spec, or {@code null} for {@link #defaultRenewBefore}
   * @throws IllegalArgumentException if {@code expiresAt} is not after {@code createdAt} (such a
   *     key has no schedule; it is expired) or {@code renewBefore} is negative
   */
  public static Instant renewalTime(Instant createdAt, Instant expiresAt, Duration renewBefore) {
    Duration lifetime = Duration.between(createdAt, expiresAt);
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException(
          "key expires at " + expiresAt + ", not after it was created at " + createdAt);
    }
    Duration margin = renewBefore == null ? defaultRenewBefore(lifetime) : renewBefore;
    if (margin.isNegative()) {
      throw new IllegalArgumentException("renewBefore must not be negative, was " + margin);
    }
    Duration firstHalf = lifetime.dividedBy(2);
    // Compared as durations, not instants: a huge margin must not overflow Instant arithmetic.
    return margin.compareTo(lifetime.minus(firstHalf)) > 0
        ? createdAt.plus(firstHalf)
        : expiresAt.minus(margin);
  }

  /**
   * When the key replaced by a rotation is deactivated: {@code gracePeriod} after the new key was
   * published, so that consumers have time to pick it up, but never after the old key's own expiry,
   * when it stops working anyway. An old key that expired before {@code publishedAt} gives that
   * past time, meaning: retire it now.
   *
   * @param oldKeyExpiresAt the old key's expiry, or {@code null} if it has none
   * @throws IllegalArgumentException if {@code gracePeriod} is negative
   */
  public static Instant retireTime(
      Instant publishedAt, Duration gracePeriod, Instant oldKeyExpiresAt) {
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
    }
    Instant afterGrace = publishedAt.plus(gracePeriod);
    return oldKeyExpiresAt != null && oldKeyExpiresAt.isBefore(afterGrace)
        ? oldKeyExpiresAt
        : afterGrace;
  }

  private static void requirePositive(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive, was " + lifetime);
    }
  }
}
