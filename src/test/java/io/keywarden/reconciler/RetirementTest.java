package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.reconciler.Retirement.Decision;
import io.keywarden.reconciler.Retirement.Phase;
import io.keywarden.reconciler.Retirement.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every decision about the key a rotation replaced, on a fake clock. */
class RetirementTest {
  static final Instant PUBLISHED = Instant.parse("2026-11-23T12:00:00Z");
  static final Duration GRACE = Duration.ofMinutes(10);
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** Consumers restarted at publish time; the old key expires in 10 days. */
  static final class In {
    Instant now = PUBLISHED.plusSeconds(60);
    boolean previousExists = true;
    Instant previousExpiresAt = PUBLISHED.plus(Duration.ofDays(10));
    Instant previousRetireAt;
    boolean revoked;
    Rollout rollout = new Rollout(PUBLISHED, null, false);

    In with(UnaryOperator<In> change) {
      return change.apply(this);
    }

    Retirement.Input build() {
      return new Retirement.Input(now, previousExists, previousExpiresAt, previousRetireAt, revoked, rollout, GRACE, TIMEOUT);
    }
  }

  static In rollingOut() {
    return new In();
  }

  static In withoutConsumers() {
    return new In().with(i -> { i.rollout = null; i.previousRetireAt = PUBLISHED.plus(GRACE); return i; });
  }

  static Stream<Arguments> decisions() {
    Instant finished = PUBLISHED.plus(Duration.ofMinutes(3));
    return Stream.of(
        // without consumers: the grace period counts from the publish
        Arguments.of("no consumers, grace running", withoutConsumers(), Phase.GRACE, PUBLISHED.plus(GRACE)),
        Arguments.of("no consumers, grace over", withoutConsumers().with(i -> { i.now = PUBLISHED.plus(GRACE); return i; }), Phase.RETIRE, null),
        // with consumers
        Arguments.of("restart still pending (crash between publish and restart)", rollingOut().with(i -> { i.rollout = new Rollout(null, null, false); return i; }), Phase.RESTART_CONSUMERS, null),
        Arguments.of("rollout not done", rollingOut(), Phase.ROLLING_OUT, PUBLISHED.plus(TIMEOUT)),
        Arguments.of("rollout not done, long past the grace period", rollingOut().with(i -> { i.now = PUBLISHED.plus(GRACE).plus(GRACE); return i; }), Phase.ROLLING_OUT, PUBLISHED.plus(TIMEOUT)),
        Arguments.of("rollout done just now", rollingOut().with(i -> { i.rollout = new Rollout(PUBLISHED, null, true); return i; }), Phase.RECORD_ROLLOUT_FINISHED, null),
        Arguments.of("rollout done, grace counts from the finish", rollingOut().with(i -> { i.now = finished.plusSeconds(1); i.rollout = new Rollout(PUBLISHED, finished, true); return i; }), Phase.GRACE, finished.plus(GRACE)),
        Arguments.of("rollout done, one second before grace ends", rollingOut().with(i -> { i.now = finished.plus(GRACE).minusSeconds(1); i.rollout = new Rollout(PUBLISHED, finished, true); return i; }), Phase.GRACE, finished.plus(GRACE)),
        Arguments.of("rollout done, grace over", rollingOut().with(i -> { i.now = finished.plus(GRACE); i.rollout = new Rollout(PUBLISHED, finished, true); return i; }), Phase.RETIRE, null),
        Arguments.of("grace over even if a later look finds the workload rolling again", rollingOut().with(i -> { i.now = finished.plus(GRACE); i.rollout = new Rollout(PUBLISHED, finished, false); return i; }), Phase.RETIRE, null),
        Arguments.of("rollout stalled: kept until the old key's expiry", rollingOut().with(i -> { i.now = PUBLISHED.plus(TIMEOUT); return i; }), Phase.STALLED, PUBLISHED.plus(Duration.ofDays(10))),
        Arguments.of("rollout stalled, old key without expiry: kept until the rollout finishes", rollingOut().with(i -> { i.now = PUBLISHED.plus(TIMEOUT); i.previousExpiresAt = null; return i; }), Phase.STALLED, null),
        Arguments.of("stalled rollout that finishes later: recorded, then grace", rollingOut().with(i -> { i.now = PUBLISHED.plus(Duration.ofHours(2)); i.rollout = new Rollout(PUBLISHED, null, true); return i; }), Phase.RECORD_ROLLOUT_FINISHED, null),
        Arguments.of("old key reaches its own expiry while stalled", rollingOut().with(i -> { i.now = PUBLISHED.plus(Duration.ofDays(10)); return i; }), Phase.RETIRE, null),
        Arguments.of("old key's expiry comes before the grace end", rollingOut().with(i -> { i.now = finished.plusSeconds(1); i.previousExpiresAt = finished.plusSeconds(120); i.rollout = new Rollout(PUBLISHED, finished, true); return i; }), Phase.GRACE, finished.plusSeconds(120)),
        Arguments.of("old key already gone at the backend", rollingOut().with(i -> { i.previousExists = false; return i; }), Phase.RETIRE, null),
        // revoke: no waiting for anything
        Arguments.of("revoked while consumers roll out", rollingOut().with(i -> { i.revoked = true; return i; }), Phase.RETIRE, null),
        Arguments.of("revoked before the consumers were restarted", rollingOut().with(i -> { i.revoked = true; i.rollout = new Rollout(null, null, false); return i; }), Phase.RETIRE, null),
        Arguments.of("revoked without consumers, inside the grace period", withoutConsumers().with(i -> { i.revoked = true; return i; }), Phase.RETIRE, null),
        // an operator restart rebuilds the same input from status: the same decisions follow
        Arguments.of("after an operator restart mid-rollout: still waiting, same deadline", rollingOut().with(i -> { i.now = PUBLISHED.plus(Duration.ofMinutes(20)); return i; }), Phase.ROLLING_OUT, PUBLISHED.plus(TIMEOUT)),
        Arguments.of("after an operator restart during grace: the recorded finish counts, not the restart", rollingOut().with(i -> { i.now = finished.plus(Duration.ofMinutes(5)); i.rollout = new Rollout(PUBLISHED, finished, true); return i; }), Phase.GRACE, finished.plus(GRACE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decides(String name, In input, Phase expected, Instant until) {
    Decision decision = Retirement.decide(input.build());
    assertThat(decision.phase()).isEqualTo(expected);
    assertThat(decision.until()).isEqualTo(until);
  }
}
