package io.keywarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DriftChecksTest {
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final String SCOPE = "AccessKeyProvider/ns/aws|alice";
  private static final Instant START = Instant.parse("2026-12-02T14:00:00Z");
  /** The scope's first slot after the process started. */
  private static final Instant SLOT = DriftSchedule.nextSlot(SCOPE, INTERVAL, START);

  private final DriftChecks checks = new DriftChecks(INTERVAL, Clock.fixed(START, ZoneOffset.UTC));

  /** A key this process never checked counts as checked at the process start. */
  @ParameterizedTest(name = "{0} after the first slot: due {1}")
  @CsvSource({
    "-PT0.001S, false",
    "PT0S, true",
    "PT4M59S, true",
    "PT10M, true",
  })
  void afterARestartAKeyIsFirstDueAtItsNextSlot(Duration fromSlot, boolean due) {
    assertThat(checks.due(SCOPE, "uid-1", START)).isFalse();
    assertThat(checks.due(SCOPE, "uid-1", SLOT.plus(fromSlot))).isEqualTo(due);
  }

  @ParameterizedTest(name = "checked {0} after a slot, asked {1} after it: due {2}")
  @CsvSource({
    "PT0S,   PT0S,        false",
    "PT0S,   PT4M59.999S, false",
    "PT0S,   PT5M,        true",
    "PT2M,   PT4M,        false",
    "PT2M,   PT5M,        true",
  })
  void aCheckedKeyIsDueAgainAtTheNextSlot(Duration checkedAfterSlot, Duration askedAfterSlot, boolean due) {
    checks.checked("uid-1", SLOT.plus(checkedAfterSlot));
    assertThat(checks.due(SCOPE, "uid-1", SLOT.plus(askedAfterSlot))).isEqualTo(due);
  }

  @Test
  void keysAreTrackedApart() {
    checks.checked("uid-1", SLOT);
    assertThat(checks.due(SCOPE, "uid-1", SLOT)).isFalse();
    assertThat(checks.due(SCOPE, "uid-2", SLOT)).isTrue();
  }

  @Test
  void aForgottenKeyCountsAsCheckedAtTheStartAgain() {
    checks.checked("uid-1", SLOT.plus(INTERVAL));
    checks.forget("uid-1");
    assertThat(checks.due(SCOPE, "uid-1", SLOT)).isTrue();
  }

  @Test
  void theNextCheckIsTheScopesNextSlot() {
    assertThat(checks.nextCheck(SCOPE, START)).isEqualTo(SLOT);
    assertThat(checks.nextCheck(SCOPE, SLOT)).isEqualTo(SLOT.plus(INTERVAL));
  }
}
