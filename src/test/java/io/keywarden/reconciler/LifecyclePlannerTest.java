package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.reconciler.Plan.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LifecyclePlannerTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Instant CREATED = NOW.minus(Duration.ofDays(10));

  /** A key in sync: 30d lifetime, created 10 days ago (renewal at day 20), Secret current. */
  static Obs inSync() {
    return new Obs();
  }

  static final class Obs {
    Instant now = NOW;
    KeyState desired = KeyState.Active;
    Instant absolute;
    Duration lifetime = Duration.ofDays(30);
    Duration renewBefore;
    boolean rotationRequested;
    boolean fence;
    String currentId = "AKCURRENT";
    Instant currentCreatedAt = CREATED;
    KeyStatus currentStatus = KeyStatus.ACTIVE;
    boolean currentExists = true;
    String previousId;
    Instant previousRetireAt;
    Instant previousExpiresAt;
    boolean previousExists = true;
    SecretHolding secret = SecretHolding.CURRENT_KEY;
    boolean secretStale;
    boolean enforce = true;
    /** What a native-expiry backend reports; by default what the spec asks for. */
    Instant backendExpiry;
    boolean backendExpirySet;
    boolean settingsChanged;
    boolean revokeRequested;
    boolean previousRevoked;
    Retirement.Rollout rollout;
    /** A new key this process holds under the fence; null: none. */
    NewKeyProgress newKey;

    Obs with(UnaryOperator<Obs> change) {
      return change.apply(this);
    }

    KeyObservation build() {
      return new KeyObservation(now, desired, absolute, lifetime, renewBefore, rotationRequested, fence,
          currentId, currentId == null ? null : currentCreatedAt,
          currentId != null && currentExists ? new KeyInfo(currentId, "bob", currentStatus, currentCreatedAt,
              backendExpirySet ? backendExpiry : enforce ? null : LifecyclePlanner.expiresAt(currentCreatedAt, absolute, lifetime), null) : null,
          previousId, previousRetireAt, previousExpiresAt,
          previousId != null && previousExists ? new KeyInfo(previousId, "bob", KeyStatus.ACTIVE, CREATED.minus(Duration.ofDays(20)), null, null) : null,
          secret, secretStale, enforce, settingsChanged, revokeRequested, previousRevoked, rollout,
          Duration.ofMinutes(10), Duration.ofMinutes(30), newKey);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("in sync", inSync(), Action.IN_SYNC),
        Arguments.of("fence wins over everything", inSync().with(o -> { o.fence = true; o.secret = SecretHolding.FOREIGN; o.currentId = null; return o; }), Action.RECOVER),
        Arguments.of("foreign Secret before any create", inSync().with(o -> { o.secret = SecretHolding.FOREIGN; o.currentId = null; return o; }), Action.SECRET_CONFLICT),
        Arguments.of("no key yet", inSync().with(o -> { o.currentId = null; o.secret = SecretHolding.MISSING; return o; }), Action.CREATE),
        Arguments.of("no key yet, absolute expiry in the future", inSync().with(o -> { o.currentId = null; o.lifetime = null; o.absolute = NOW.plusSeconds(60); return o; }), Action.CREATE),
        Arguments.of("no key, spec.expiry passed", inSync().with(o -> { o.currentId = null; o.lifetime = null; o.absolute = NOW; return o; }), Action.EXPIRED),
        Arguments.of("grace period over", inSync().with(o -> { o.previousId = "AKOLD"; o.previousRetireAt = NOW.minusSeconds(1); return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("grace period running", inSync().with(o -> { o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); return o; }), Action.IN_SYNC),
        Arguments.of("previous already gone at backend", inSync().with(o -> { o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); o.previousExists = false; return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("previous reached its own expiry (AWS)", inSync().with(o -> { o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); o.previousExpiresAt = NOW; return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("previous expired natively: clean it up", inSync().with(o -> { o.enforce = false; o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); o.previousExpiresAt = NOW; return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("absolute expiry reached (AWS)", inSync().with(o -> { o.lifetime = null; o.absolute = NOW; return o; }), Action.EXPIRE_CURRENT),
        Arguments.of("lifetime over (AWS)", inSync().with(o -> { o.currentCreatedAt = NOW.minus(Duration.ofDays(30)); return o; }), Action.EXPIRE_CURRENT),
        Arguments.of("native expiry passed: clean up the dead key", inSync().with(o -> { o.enforce = false; o.lifetime = null; o.absolute = NOW.minusSeconds(5); return o; }), Action.EXPIRE_CURRENT),
        Arguments.of("native expiry in sync", inSync().with(o -> { o.enforce = false; return o; }), Action.IN_SYNC),
        Arguments.of("native expiry changed in the spec", inSync().with(o -> { o.enforce = false; o.backendExpirySet = true; o.backendExpiry = CREATED.plus(Duration.ofDays(60)); return o; }), Action.UPDATE_EXPIRY),
        Arguments.of("native expiry lost (updated without a date)", inSync().with(o -> { o.enforce = false; o.backendExpirySet = true; o.backendExpiry = null; return o; }), Action.UPDATE_EXPIRY),
        Arguments.of("native expiry removed from the spec", inSync().with(o -> { o.enforce = false; o.lifetime = null; o.backendExpirySet = true; o.backendExpiry = NOW.plusSeconds(600); return o; }), Action.UPDATE_EXPIRY),
        Arguments.of("key deleted outside keywarden", inSync().with(o -> { o.currentExists = false; return o; }), Action.REISSUE_LOST_KEY),
        Arguments.of("Secret deleted", inSync().with(o -> { o.secret = SecretHolding.MISSING; return o; }), Action.REISSUE_LOST_SECRET),
        Arguments.of("Secret holds another key", inSync().with(o -> { o.secret = SecretHolding.OTHER_KEY; return o; }), Action.REISSUE_LOST_SECRET),
        Arguments.of("Secret lost during grace: free a slot first", inSync().with(o -> { o.secret = SecretHolding.MISSING; o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("renewal time reached (default third)", inSync().with(o -> { o.currentCreatedAt = NOW.minus(Duration.ofDays(20)); return o; }), Action.ROTATE),
        Arguments.of("one second before default renewal", inSync().with(o -> { o.currentCreatedAt = NOW.minus(Duration.ofDays(20)).plusSeconds(1); return o; }), Action.IN_SYNC),
        Arguments.of("renewBefore 7d reached at day 23", inSync().with(o -> { o.renewBefore = Duration.ofDays(7); o.currentCreatedAt = NOW.minus(Duration.ofDays(23)); return o; }), Action.ROTATE),
        Arguments.of("renewBefore 7d not yet at day 22", inSync().with(o -> { o.renewBefore = Duration.ofDays(7); o.currentCreatedAt = NOW.minus(Duration.ofDays(22)); return o; }), Action.IN_SYNC),
        Arguments.of("renewBefore 25d: a key lives half its life first", inSync().with(o -> { o.renewBefore = Duration.ofDays(25); o.currentCreatedAt = NOW.minus(Duration.ofDays(5)); return o; }), Action.IN_SYNC),
        Arguments.of("renewBefore 25d: renewal at half-life", inSync().with(o -> { o.renewBefore = Duration.ofDays(25); o.currentCreatedAt = NOW.minus(Duration.ofDays(15)); return o; }), Action.ROTATE),
        Arguments.of("absolute expiry never renews", inSync().with(o -> { o.lifetime = null; o.absolute = NOW.plusSeconds(10); return o; }), Action.IN_SYNC),
        Arguments.of("rotation requested", inSync().with(o -> { o.rotationRequested = true; return o; }), Action.ROTATE),
        Arguments.of("rotation requested during grace waits", inSync().with(o -> { o.rotationRequested = true; o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(60); return o; }), Action.IN_SYNC),
        Arguments.of("disabled outside keywarden", inSync().with(o -> { o.currentStatus = KeyStatus.INACTIVE; return o; }), Action.ACTIVATE),
        Arguments.of("spec wants Inactive", inSync().with(o -> { o.desired = KeyState.Inactive; return o; }), Action.DEACTIVATE),
        Arguments.of("Inactive as wanted", inSync().with(o -> { o.desired = KeyState.Inactive; o.currentStatus = KeyStatus.INACTIVE; return o; }), Action.IN_SYNC),
        Arguments.of("Secret rendering changed", inSync().with(o -> { o.secretStale = true; return o; }), Action.REFRESH_SECRET),
        Arguments.of("settings changed (MinIO): update in place", inSync().with(o -> { o.enforce = false; o.settingsChanged = true; return o; }), Action.UPDATE_SETTINGS),
        Arguments.of("settings and expiry changed: one update applies both", inSync().with(o -> { o.enforce = false; o.settingsChanged = true; o.backendExpirySet = true; o.backendExpiry = NOW.plusSeconds(600); return o; }), Action.UPDATE_SETTINGS),
        Arguments.of("settings and state changed: one update applies both", inSync().with(o -> { o.enforce = false; o.settingsChanged = true; o.desired = KeyState.Inactive; return o; }), Action.UPDATE_SETTINGS),
        Arguments.of("settings changed but the Secret is lost: reissue first", inSync().with(o -> { o.settingsChanged = true; o.secret = SecretHolding.MISSING; return o; }), Action.REISSUE_LOST_SECRET),
        Arguments.of("settings changed while rotation is due: rotate (the new key gets them)", inSync().with(o -> { o.settingsChanged = true; o.rotationRequested = true; return o; }), Action.ROTATE),
        Arguments.of("settings changed while the fence is up: recover first", inSync().with(o -> { o.settingsChanged = true; o.fence = true; return o; }), Action.RECOVER),
        Arguments.of("settings applied, Secret stale: refresh", inSync().with(o -> { o.enforce = false; o.secretStale = true; return o; }), Action.REFRESH_SECRET),
        // consumers (spec.rotation.consumers): the previous key waits for their rollout
        Arguments.of("consumers wait for their restart", rotated(null, null, false), Action.RESTART_CONSUMERS),
        Arguments.of("consumers rolling out: the old key stays past the publish + grace", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofMinutes(20)); return o; }), Action.IN_SYNC),
        Arguments.of("consumers rolled out just now", rotated(PUBLISHED, null, true), Action.RECORD_ROLLOUT),
        Arguments.of("consumers rolled out, grace running", rotated(PUBLISHED, PUBLISHED.plusSeconds(60), true).with(o -> { o.previousRetireAt = PUBLISHED.plusSeconds(660); return o; }), Action.IN_SYNC),
        Arguments.of("consumers rolled out, grace over", rotated(PUBLISHED, PUBLISHED.plusSeconds(60), true).with(o -> { o.now = PUBLISHED.plusSeconds(660); return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("rollout stalled: the old key is kept", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofHours(5)); return o; }), Action.IN_SYNC),
        Arguments.of("rollout stalled until the old key's own expiry", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofDays(2)); return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("renewal due while the rollout is stalled: waits", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofHours(5)); o.rotationRequested = true; return o; }), Action.IN_SYNC),
        Arguments.of("operator restarted mid-rollout (same status): still waiting", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofMinutes(29)); return o; }), Action.IN_SYNC),
        Arguments.of("operator restarted between publish and restart", rotated(null, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofMinutes(40)); return o; }), Action.RESTART_CONSUMERS),
        Arguments.of("a repaired key's consumers wait for their restart", inSync().with(o -> { o.rollout = new Retirement.Rollout(null, null, false); return o; }), Action.RESTART_CONSUMERS),
        Arguments.of("a repaired key's consumers rolled out", inSync().with(o -> { o.rollout = new Retirement.Rollout(NOW.minusSeconds(30), null, true); return o; }), Action.RECORD_ROLLOUT),
        Arguments.of("a repaired key's rollout recorded: in sync", inSync().with(o -> { o.rollout = new Retirement.Rollout(NOW.minusSeconds(30), NOW.minusSeconds(5), true); return o; }), Action.IN_SYNC),
        // keywarden.io/revoke
        Arguments.of("revoke requested", inSync().with(o -> { o.revokeRequested = true; return o; }), Action.REVOKE),
        Arguments.of("revoke requested while consumers roll out: retire the previous key first", rotated(PUBLISHED, null, false).with(o -> { o.revokeRequested = true; return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("revoked previous key: at once, before its consumers restarted", rotated(null, null, false).with(o -> { o.previousRevoked = true; return o; }), Action.RETIRE_PREVIOUS),
        Arguments.of("revoked previous key gone: its consumers restart", inSync().with(o -> { o.rollout = new Retirement.Rollout(null, null, false); o.previousRevoked = false; return o; }), Action.RESTART_CONSUMERS),
        // a new key this process holds under the fence, on its way to the Secret (no thread waits for it)
        Arguments.of("held new key: verify it", held(false, 0, null), Action.VERIFY_NEW_KEY),
        Arguments.of("held new key not usable yet: wait for the next attempt", held(false, 0, NOW.plusSeconds(2)), Action.AWAIT_NEW_KEY),
        Arguments.of("held new key: the next attempt is due", held(false, 0, NOW), Action.VERIFY_NEW_KEY),
        Arguments.of("held new key: the verification window closed", held(false, 0, null).with(o -> { o.now = STARTED.plus(VERIFY_TIMEOUT); return o; }), Action.ABANDON_NEW_KEY),
        Arguments.of("held new key: the window closes before the next attempt", held(false, 0, NOW.plusSeconds(2)).with(o -> { o.now = STARTED.plus(VERIFY_TIMEOUT).plusSeconds(1); return o; }), Action.ABANDON_NEW_KEY),
        Arguments.of("held new key verified, Secret write failed: write again", held(true, 1, NOW), Action.PUBLISH_NEW_KEY),
        Arguments.of("held new key verified, Secret write retried shortly", held(true, 1, NOW.plusSeconds(2)), Action.AWAIT_NEW_KEY),
        Arguments.of("held new key verified: the window no longer applies", held(true, 2, null).with(o -> { o.now = STARTED.plus(Duration.ofMinutes(5)); return o; }), Action.PUBLISH_NEW_KEY),
        Arguments.of("held new key: every Secret write failed", held(true, 3, NOW.plusSeconds(2)), Action.ABANDON_NEW_KEY),
        Arguments.of("held new key wins over a foreign Secret and a rotation", held(false, 0, null).with(o -> { o.secret = SecretHolding.FOREIGN; o.rotationRequested = true; return o; }), Action.VERIFY_NEW_KEY),
        Arguments.of("a fence whose key this process does not hold: recover", held(false, 0, null).with(o -> { o.newKey = null; return o; }), Action.RECOVER),
        Arguments.of("revoke requested before any key: create first", inSync().with(o -> { o.revokeRequested = true; o.currentId = null; o.secret = SecretHolding.MISSING; return o; }), Action.CREATE));
  }

  static final Instant PUBLISHED = NOW.minus(Duration.ofMinutes(2));
  static final Instant STARTED = NOW.minusSeconds(10);
  static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(60);

  /** A rotation under way: the fence is up, and this process holds the new key it created at STARTED. */
  static Obs held(boolean verified, int failedWrites, Instant nextAttemptAt) {
    return inSync().with(o -> {
      o.fence = true;
      o.newKey = new NewKeyProgress(STARTED, verified, failedWrites, nextAttemptAt, VERIFY_TIMEOUT, 3);
      return o;
    });
  }

  /** Rotated at PUBLISHED with consumers; the old key expires a day later (no grace set at publish). */
  static Obs rotated(Instant rolloutStarted, Instant rolloutFinished, boolean doneNow) {
    return inSync().with(o -> {
      o.currentCreatedAt = PUBLISHED;
      o.previousId = "AKOLD";
      o.previousRetireAt = null;
      o.previousExpiresAt = PUBLISHED.plus(Duration.ofDays(1));
      o.rollout = new Retirement.Rollout(rolloutStarted, rolloutFinished, doneNow);
      return o;
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansTheNextStep(String name, Obs observation, Action expected) {
    assertThat(LifecyclePlanner.plan(observation.build()).action()).isEqualTo(expected);
  }

  static Stream<Arguments> nextChecks() {
    return Stream.of(
        Arguments.of("renewal time", inSync(), CREATED.plus(Duration.ofDays(20))),
        Arguments.of("grace end comes first", inSync().with(o -> { o.previousId = "AKOLD"; o.previousRetireAt = NOW.plusSeconds(600); return o; }), NOW.plusSeconds(600)),
        Arguments.of("absolute expiry (AWS enforces it)", inSync().with(o -> { o.lifetime = null; o.absolute = NOW.plusSeconds(30); return o; }), NOW.plusSeconds(30)),
        Arguments.of("nothing time-driven", inSync().with(o -> { o.lifetime = null; return o; }), null),
        Arguments.of("native expiry is checked too", inSync().with(o -> { o.enforce = false; o.lifetime = null; o.absolute = NOW.plusSeconds(30); return o; }), NOW.plusSeconds(30)),
        Arguments.of("a rollout under way is looked at again soon", rotated(PUBLISHED, null, false), NOW.plus(LifecyclePlanner.ROLLOUT_POLL)),
        Arguments.of("a stalled rollout less often: it may still finish", rotated(PUBLISHED, null, false).with(o -> { o.now = PUBLISHED.plus(Duration.ofHours(5)); return o; }), PUBLISHED.plus(Duration.ofHours(5)).plus(LifecyclePlanner.STALLED_POLL)),
        Arguments.of("grace after the rollout ends at the recorded time", rotated(PUBLISHED, PUBLISHED.plusSeconds(60), true), PUBLISHED.plusSeconds(660)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nextChecks")
  void schedulesTheNextTimeDrivenStep(String name, Obs observation, Instant expected) {
    Plan plan = LifecyclePlanner.plan(observation.build());
    assertThat(plan.action()).isEqualTo(Action.IN_SYNC);
    assertThat(plan.nextCheck()).isEqualTo(expected);
  }

  static Stream<Arguments> newKeyWaits() {
    return Stream.of(
        Arguments.of("the next verification", held(false, 0, NOW.plusSeconds(2)), NOW.plusSeconds(2)),
        Arguments.of("the window closes first", held(false, 0, STARTED.plus(VERIFY_TIMEOUT).plusSeconds(5)), STARTED.plus(VERIFY_TIMEOUT)),
        Arguments.of("the next Secret write, past the window", held(true, 1, STARTED.plus(VERIFY_TIMEOUT).plusSeconds(5)), STARTED.plus(VERIFY_TIMEOUT).plusSeconds(5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newKeyWaits")
  void aHeldNewKeyIsLookedAtAgainWhenItsNextAttemptIsDue(String name, Obs observation, Instant expected) {
    Plan plan = LifecyclePlanner.plan(observation.build());
    assertThat(plan.action()).isEqualTo(Action.AWAIT_NEW_KEY);
    assertThat(plan.nextCheck()).isEqualTo(expected);
  }
}
