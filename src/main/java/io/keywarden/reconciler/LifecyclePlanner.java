package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyStatus;
import io.keywarden.expiry.RenewalSchedule;
import io.keywarden.reconciler.Plan.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Decides the one next step of a key's lifecycle from an observation. Pure: no clock, no I/O, so
 * every branch is tested table-driven. Steps are ordered so that unsafe states (an interrupted
 * create, a foreign Secret) are handled before anything creates or deletes keys.
 */
public final class LifecyclePlanner {
  /** How often a consumer rollout is looked at (no informer watches workloads). */
  static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);
  /** A stalled rollout may still finish, but rarely within seconds. */
  static final Duration STALLED_POLL = Duration.ofMinutes(1);

  private LifecyclePlanner() {}

  public static Plan plan(KeyObservation o) {
    if (o.fencePending()) {
      return o.newKey() == null
          ? Plan.of(Action.RECOVER, "an interrupted create left a fence")
          : newKeyStep(o.now(), o.newKey());
    }
    if (o.secret() == SecretHolding.FOREIGN) {
      return Plan.of(Action.SECRET_CONFLICT, "the Secret exists and is not owned by this AccessKey");
    }
    if (o.currentKeyId() == null) {
      if (o.absoluteExpiry() != null && !o.absoluteExpiry().isAfter(o.now())) {
        return Plan.of(Action.EXPIRED, "spec.expiry has passed");
      }
      return Plan.of(Action.CREATE, "no key yet");
    }
    boolean previousHeld = o.previousKeyId() != null;
    Retirement.Decision retirement = o.retirement();
    if (previousHeld) {
      if (o.revokeRequested()) {
        return Plan.of(Action.RETIRE_PREVIOUS, "a revocation retires the previous key first");
      }
      switch (retirement.phase()) {
        case RETIRE -> {
          return Plan.of(Action.RETIRE_PREVIOUS, retirement.why());
        }
        case RESTART_CONSUMERS -> {
          return Plan.of(Action.RESTART_CONSUMERS, retirement.why());
        }
        case RECORD_ROLLOUT_FINISHED -> {
          return Plan.of(Action.RECORD_ROLLOUT, retirement.why());
        }
        default -> { } // waiting for a time or for the consumers; other steps may be due meanwhile
      }
    }
    Instant expiresAt = o.currentExpiresAt();
    if (expiresAt != null && !expiresAt.isAfter(o.now())) {
      return Plan.of(Action.EXPIRE_CURRENT, "the key reached its expiry");
    }
    if (o.currentKey() == null) {
      return Plan.of(Action.REISSUE_LOST_KEY, "the key was deleted outside keywarden");
    }
    if (o.secret() == SecretHolding.MISSING || o.secret() == SecretHolding.OTHER_KEY) {
      return previousHeld
          ? Plan.of(Action.RETIRE_PREVIOUS, "the Secret was lost; freeing a key slot to reissue")
          : Plan.of(Action.REISSUE_LOST_SECRET, "the Secret no longer holds the key");
    }
    if (o.revokeRequested()) {
      return Plan.of(Action.REVOKE, "revocation requested"); // a held previous key was retired above
    }
    Instant renewalTime = renewalTime(o.currentCreatedAt(), expiresAt, o.lifetime(), o.renewBefore());
    boolean renewalDue = renewalTime != null && !renewalTime.isAfter(o.now());
    if (o.rotationRequested() || renewalDue) {
      String why = o.rotationRequested() ? "rotation requested" : "renewal time reached";
      if (previousHeld) {
        return new Plan(Action.IN_SYNC, why + "; waiting for the previous key to retire",
            earliest(retirement.until(), rolloutCheck(o, retirement)));
      }
      return Plan.of(Action.ROTATE, why);
    }
    if (!previousHeld && o.rollout() != null && o.rollout().startedAt() == null) {
      return Plan.of(Action.RESTART_CONSUMERS, "a repaired key was published; its consumers wait for their restart");
    }
    if (!previousHeld && o.rollingOut() && o.rollout().doneNow()) {
      return Plan.of(Action.RECORD_ROLLOUT, "every consumer has rolled out");
    }
    if (o.settingsChanged()) {
      return Plan.of(Action.UPDATE_SETTINGS, "the key's name, description or policy differs from the spec");
    }
    if (!o.enforceExpiry() && !sameSecond(o.currentKey().expiresAt(), expiresAt)) {
      return Plan.of(Action.UPDATE_EXPIRY, "the key's expiry at the backend differs from the spec");
    }
    KeyStatus desired = o.desiredState() == KeyState.Inactive ? KeyStatus.INACTIVE : KeyStatus.ACTIVE;
    if (o.currentKey().status() != desired) {
      return Plan.of(
          desired == KeyStatus.ACTIVE ? Action.ACTIVATE : Action.DEACTIVATE,
          "the key is " + o.currentKey().status() + ", the spec wants " + desired);
    }
    if (o.secretStale()) {
      return Plan.of(Action.REFRESH_SECRET, "the Secret's rendering changed");
    }
    Instant nextCheck = earliest(renewalTime, previousHeld ? retirement.until() : null,
        previousHeld ? o.previousExpiresAt() : null, expiresAt, rolloutCheck(o, retirement));
    return new Plan(Action.IN_SYNC, "in sync", nextCheck);
  }

  /**
   * A key this process created and holds, on its way to the Secret: one more attempt when it is
   * due, until the verification window closes or the Secret writes run out.
   */
  private static Plan newKeyStep(Instant now, NewKeyProgress key) {
    if (!key.verified() && !now.isBefore(key.verifyDeadline())) {
      return Plan.of(Action.ABANDON_NEW_KEY, "it did not work within " + key.verifyTimeout().toSeconds() + " s");
    }
    if (key.verified() && key.failedWrites() >= key.writeAttempts()) {
      return Plan.of(Action.ABANDON_NEW_KEY, "writing the Secret failed " + key.failedWrites() + " times");
    }
    if (key.nextAttemptAt() != null && now.isBefore(key.nextAttemptAt())) {
      return new Plan(Action.AWAIT_NEW_KEY, key.verified() ? "the Secret write is retried shortly"
          : "the new key is not usable yet", earliest(key.nextAttemptAt(), key.verified() ? null : key.verifyDeadline()));
    }
    return key.verified()
        ? Plan.of(Action.PUBLISH_NEW_KEY, "the new key's Secret write failed before")
        : Plan.of(Action.VERIFY_NEW_KEY, "the new key must work before it is published");
  }

  /** When to look at the consumers again (no informer watches workloads); null if no rollout is under way. */
  private static Instant rolloutCheck(KeyObservation o, Retirement.Decision retirement) {
    if (!o.rollingOut()) {
      return null;
    }
    boolean stalled = retirement != null && retirement.phase() == Retirement.Phase.STALLED;
    return o.now().plus(stalled ? STALLED_POLL : ROLLOUT_POLL);
  }

  /** When a key created at {@code createdAt} expires under the spec, or null if never. */
  public static Instant expiresAt(Instant createdAt, Instant absoluteExpiry, Duration lifetime) {
    if (absoluteExpiry != null) {
      return absoluteExpiry;
    }
    if (lifetime != null && createdAt != null) {
      return createdAt.plus(lifetime);
    }
    return null;
  }

  /** Renewal applies to relative expiry only: an absolute date is a deadline, not a lifetime. */
  public static Instant renewalTime(
      Instant createdAt, Instant expiresAt, Duration lifetime, Duration renewBefore) {
    if (lifetime == null || createdAt == null || expiresAt == null) {
      return null;
    }
    return RenewalSchedule.renewalTime(createdAt, expiresAt, renewBefore);
  }

  private static boolean sameSecond(Instant a, Instant b) {
    return a == null || b == null ? a == b : Math.abs(a.getEpochSecond() - b.getEpochSecond()) < 1;
  }

  private static Instant earliest(Instant... instants) {
    return Stream.of(instants).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }
}
