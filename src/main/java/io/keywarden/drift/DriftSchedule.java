package io.keywarden.drift;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * When a scope's keys are next checked at their backend. Each scope (a provider and user, or a
 * provider where one call answers for all its users) has a fixed offset inside the interval, taken
 * from a stable hash of its name: checks of many scopes spread evenly over the interval, every
 * process computes the same slots (a restart keeps them), and all keys of one scope come due
 * together, so one backend answer serves them all. Pure: no clock, no state.
 */
public final class DriftSchedule {
  private DriftSchedule() {}

  /** The scope's first slot strictly after {@code now}. */
  public static Instant nextSlot(String scope, Duration interval, Instant now) {
    return slotAtOrBefore(scope, interval, now).plus(interval);
  }

  /** The scope's latest slot at or before {@code now}: when the window that holds {@code now} began. */
  public static Instant slotAtOrBefore(String scope, Duration interval, Instant now) {
    long period = periodMillis(interval);
    long offset = offsetMillis(scope, period);
    long sinceOffset = now.toEpochMilli() - offset;
    return Instant.ofEpochMilli(offset + Math.floorDiv(sinceOffset, period) * period);
  }

  /** Where in each interval the scope's slot lies, in [0, interval): the scope's jitter. */
  public static Duration offset(String scope, Duration interval) {
    long period = periodMillis(interval);
    return Duration.ofMillis(offsetMillis(scope, period));
  }

  private static long periodMillis(Duration interval) {
    long period = interval.toMillis();
    if (period <= 0) {
      throw new IllegalArgumentException("the drift interval must be at least 1 ms, got " + interval);
    }
    return period;
  }

  private static long offsetMillis(String scope, long period) {
    return Math.floorMod(stableHash(scope), period);
  }

  /** SHA-256 rather than String.hashCode: nearby names (user-1, user-2) must not land in nearby slots. */
  private static long stableHash(String scope) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      long hash = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        hash = (hash << 8) | (digest[i] & 0xff);
      }
      return hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
