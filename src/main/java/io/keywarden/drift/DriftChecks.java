package io.keywarden.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which keys are due for a check at their backend. A key is due once its scope's slot has passed
 * since it was last checked; a process counts every key as checked when it started, so a restart
 * makes no backend call for a key whose status, Secret and spec agree, and checks it at its next
 * slot like any other.
 */
public final class DriftChecks {
  private final Duration interval;
  private final Instant startedAt;
  private final ConcurrentMap<String, Instant> checkedAt = new ConcurrentHashMap<>();

  public DriftChecks(Duration interval, Clock clock) {
    this.interval = interval;
    this.startedAt = clock.instant();
  }

  public Duration interval() {
    return interval;
  }

  /** Whether the key (by uid) in {@code scope} should be checked at its backend at {@code now}. */
  public boolean due(String scope, String uid, Instant now) {
    Instant last = checkedAt.getOrDefault(uid, startedAt);
    return DriftSchedule.slotAtOrBefore(scope, interval, now).isAfter(last);
  }

  /**
   * Whether this process sees the key for the first time; from now on it counts as checked when the
   * process started (its status was written by a check before that).
   */
  public boolean firstSight(String uid) {
    return checkedAt.putIfAbsent(uid, startedAt) == null;
  }

  /** The key was observed at its backend at {@code now} (a drift check, a create, any step). */
  public void checked(String uid, Instant now) {
    checkedAt.put(uid, now);
  }

  /** When the key's scope is next checked. */
  public Instant nextCheck(String scope, Instant now) {
    return DriftSchedule.nextSlot(scope, interval, now);
  }

  /** The key is gone: forget it. */
  public void forget(String uid) {
    checkedAt.remove(uid);
  }
}
