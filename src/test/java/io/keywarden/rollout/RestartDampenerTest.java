package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.api.v1alpha1.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartDampenerTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(15);
  static final WorkloadRef APP = new WorkloadRef("team-a", WorkloadKind.Deployment, "app");
  static final WorkloadRef OTHER = new WorkloadRef("team-a", WorkloadKind.StatefulSet, "db");

  final RestartDampener dampener = new RestartDampener(WINDOW);

  @Test
  void aFirstRequestWaitsForTheWindow() {
    assertThat(dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false)).isEqualTo(T0.plus(WINDOW));
    assertThat(dampener.takeIfDue(APP, T0.plus(WINDOW).minusMillis(1))).isEmpty();
    assertThat(dampener.takeIfDue(APP, T0.plus(WINDOW))).get()
        .satisfies(b -> assertThat(b.annotations()).isEqualTo(Map.of("rotation.keywarden.io/a", "2")));
    assertThat(dampener.takeIfDue(APP, T0.plus(WINDOW))).as("taken once").isEmpty();
  }

  @Test
  void keysRotatingInTheWindowShareOnePatch() {
    dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false);
    Instant due = dampener.request(APP, "rotation.keywarden.io/b", "7", T0.plusSeconds(10), false);

    assertThat(due).as("the window does not move").isEqualTo(T0.plus(WINDOW));
    assertThat(dampener.takeIfDue(APP, due)).get().satisfies(b -> assertThat(b.annotations())
        .isEqualTo(Map.of("rotation.keywarden.io/a", "2", "rotation.keywarden.io/b", "7")));
  }

  @Test
  void aRequestAfterTheWindowStartsANewOne() {
    dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false);
    dampener.takeIfDue(APP, T0.plus(WINDOW));

    Instant due = dampener.request(APP, "rotation.keywarden.io/b", "7", T0.plus(WINDOW).plusSeconds(1), false);

    assertThat(due).isEqualTo(T0.plus(WINDOW).plusSeconds(1).plus(WINDOW));
  }

  @Test
  void aRevokedKeyClosesTheWindowAndTakesTheOthersAlong() {
    dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false);
    Instant due = dampener.request(APP, "rotation.keywarden.io/b", "7", T0.plusSeconds(3), true);

    assertThat(due).isEqualTo(T0.plusSeconds(3));
    assertThat(dampener.takeIfDue(APP, T0.plusSeconds(3))).get().satisfies(b -> assertThat(b.annotations())
        .isEqualTo(Map.of("rotation.keywarden.io/a", "2", "rotation.keywarden.io/b", "7")));
  }

  @Test
  void workloadsHaveTheirOwnWindows() {
    dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false);
    dampener.request(OTHER, "rotation.keywarden.io/a", "2", T0.plusSeconds(5), false);

    assertThat(dampener.takeIfDue(APP, T0.plus(WINDOW))).isPresent();
    assertThat(dampener.takeIfDue(OTHER, T0.plus(WINDOW))).isEmpty();
  }

  @Test
  void aLaterRevisionOfTheSameKeyReplacesTheEarlierOne() {
    dampener.request(APP, "rotation.keywarden.io/a", "2", T0, false);
    dampener.request(APP, "rotation.keywarden.io/a", "3", T0.plusSeconds(1), false);

    assertThat(dampener.takeIfDue(APP, T0.plus(WINDOW))).get()
        .satisfies(b -> assertThat(b.annotations()).isEqualTo(Map.of("rotation.keywarden.io/a", "3")));
  }
}
