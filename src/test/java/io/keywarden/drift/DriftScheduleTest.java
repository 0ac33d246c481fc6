package io.keywarden.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriftScheduleTest {

  @ParameterizedTest(name = "{0} every {1} from {2}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          AccessKeyProvider/team-a/aws|alice   ; PT5M  ; 2026-12-02T13:00:00Z
          AccessKeyProvider/team-a/aws|alice   ; PT5M  ; 2026-12-02T13:04:59.999Z
          AccessKeyProvider/team-a/aws|bob     ; PT5M  ; 2026-12-02T13:00:00Z
          ClusterAccessKeyProvider/minio       ; PT1H  ; 2026-12-02T13:30:00Z
          ClusterAccessKeyProvider/minio       ; PT1S  ; 1970-01-01T00:00:00Z
          ClusterAccessKeyProvider/minio       ; PT24H ; 1969-12-31T23:59:59Z
          x                                    ; PT0.001S ; 2026-12-02T13:00:00Z
          """)
  void theNextSlotIsWithinOneIntervalAndOnTheScopesOffset(String scope, Duration interval, Instant now) {
    Instant next = DriftSchedule.nextSlot(scope, interval, now);
    Instant current = DriftSchedule.slotAtOrBefore(scope, interval, now);

    assertThat(next).isAfter(now);
    assertThat(Duration.between(now, next)).isLessThanOrEqualTo(interval);
    assertThat(current).isAfter(now.minus(interval)).isBeforeOrEqualTo(now);
    assertThat(Duration.between(current, next)).isEqualTo(interval);
    long sinceOffset = next.toEpochMilli() - DriftSchedule.offset(scope, interval).toMillis();
    assertThat(Math.floorMod(sinceOffset, interval.toMillis())).isZero();
  }

  @Test
  void aSlotItselfStartsTheWindowAndTheNextSlotIsOneIntervalLater() {
    Duration interval = Duration.ofMinutes(5);
    Instant slot = DriftSchedule.nextSlot("p|u", interval, Instant.parse("2026-12-02T13:00:00Z"));

    assertThat(DriftSchedule.slotAtOrBefore("p|u", interval, slot)).isEqualTo(slot);
    assertThat(DriftSchedule.nextSlot("p|u", interval, slot)).isEqualTo(slot.plus(interval));
    assertThat(DriftSchedule.nextSlot("p|u", interval, slot.minusMillis(1))).isEqualTo(slot);
  }

  @Test
  void everyCallAndEveryProcessComputesTheSameSlot() {
    Duration interval = Duration.ofMinutes(5);
    Instant now = Instant.parse("2026-12-02T13:02:00Z");
    Instant first = DriftSchedule.nextSlot("AccessKeyProvider/ns/aws|alice", interval, now);

    assertThat(DriftSchedule.nextSlot(new String("AccessKeyProvider/ns/aws|alice"), interval, now)).isEqualTo(first);
    assertThat(DriftSchedule.nextSlot("AccessKeyProvider/ns/aws|alice", interval, now.plusSeconds(30)))
        .isIn(first, first.plus(interval));
  }

  /** 10,000 scopes with neighbouring names over 10 equal parts of the interval: none is crowded. */
  @Test
  void scopesSpreadEvenlyOverTheInterval() {
    Duration interval = Duration.ofMinutes(5);
    int scopes = 10_000;
    int[] parts = new int[10];
    for (int i = 0; i < scopes; i++) {
      long offset = DriftSchedule.offset("AccessKeyProvider/bench/aws|bench-" + i, interval).toMillis();
      parts[(int) (offset * parts.length / interval.toMillis())]++;
    }
    for (int count : parts) {
      assertThat(count).isBetween(850, 1150);
    }
  }

  @Test
  void anIntervalBelowOneMillisecondIsRefused() {
    assertThatThrownBy(() -> DriftSchedule.nextSlot("p|u", Duration.ZERO, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
  }
}
