package io.keywarden.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An empty cell stands for {@code null}. Durations are ISO 8601: P30D is 30 days of 24 hours. */
class RenewalScheduleTest {

  @ParameterizedTest(name = "a third of {0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          P30D       | P10D
          PT24H      | PT8H
          P7D        | PT56H
          # 5d12h30s
          PT132H30S  | PT44H10S
          PT1H       | PT20M
          PT30M      | PT10M
          PT1S       | PT0.333333333S
          """)
  void defaultMarginIsAThirdOfTheLifetime(Duration lifetime, Duration expected) {
    assertThat(RenewalSchedule.defaultRenewBefore(lifetime)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PT0S", "PT-1H"})
  void defaultMarginNeedsAPositiveLifetime(Duration lifetime) {
    assertThatThrownBy(() -> RenewalSchedule.defaultRenewBefore(lifetime))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "created {0}, expires {1}, renewBefore {2}: renew at {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # no margin set: a third of the lifetime before expiry
          # 30d key
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | | 2024-11-13T00:00:00Z
          # 24h key expiring at the 001 example time
          2025-12-30T23:59:59Z     | 2025-12-31T23:59:59Z | | 2025-12-31T15:59:59Z
          # 7d key
          2024-10-24T10:00:00Z     | 2024-10-31T10:00:00Z | | 2024-10-29T02:00:00Z
          # 30m key
          2024-10-24T10:00:00Z     | 2024-10-24T10:30:00Z | | 2024-10-24T10:20:00Z
          # 5d12h30s key
          2024-10-24T10:00:00Z     | 2024-10-29T22:00:30Z | | 2024-10-28T02:00:20Z
          # the Outscale sample key, created 2010-10-01, expiring 2063-04-05
          2010-10-01T12:34:56.789Z | 2063-04-05T00:00:00Z | | 2045-10-03T04:11:38.929666667Z
          # a margin from the spec
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P7D  | 2024-11-16T00:00:00Z
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | PT0S | 2024-11-23T00:00:00Z
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P15D | 2024-11-08T00:00:00Z
          2025-12-30T23:59:59Z     | 2025-12-31T23:59:59Z | PT1H | 2025-12-31T22:59:59Z
          # a margin beyond half the lifetime is clamped to the middle of the lifetime
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P15DT1S  | 2024-11-08T00:00:00Z
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P29D     | 2024-11-08T00:00:00Z
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P30D     | 2024-11-08T00:00:00Z
          2024-10-24T00:00:00Z     | 2024-11-23T00:00:00Z | P36500D  | 2024-11-08T00:00:00Z
          2025-12-30T23:59:59Z     | 2025-12-31T23:59:59Z | PT24H    | 2025-12-31T11:59:59Z
          # a margin of 3 billion years, beyond Instant's range: no overflow
          2024-10-24T00:00:00Z | 2024-11-23T00:00:00Z | PT100000000000000000S | 2024-11-08T00:00:00Z
          # a one-second key: its middle is half a second in
          2024-10-24T00:00:00Z     | 2024-10-24T00:00:01Z | PT1S     | 2024-10-24T00:00:00.5Z
          """)
  void renewsAheadOfExpiryButNotBeforeHalfTheLifetime(
      Instant createdAt, Instant expiresAt, Duration renewBefore, Instant expected) {
    assertThat(RenewalSchedule.renewalTime(createdAt, expiresAt, renewBefore)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "created {0}, expires {1}, renewBefore {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # expiry not after creation: no schedule
          2024-10-24T00:00:00Z | 2024-10-24T00:00:00Z |
          2024-10-24T00:00:00Z | 2024-10-23T00:00:00Z |
          2024-10-24T00:00:00Z | 2024-10-23T00:00:00Z | P1D
          # negative margin
          2024-10-24T00:00:00Z | 2024-11-23T00:00:00Z | PT-1S
          """)
  void rejectsImpossibleSchedules(Instant createdAt, Instant expiresAt, Duration renewBefore) {
    assertThatThrownBy(() -> RenewalSchedule.renewalTime(createdAt, expiresAt, renewBefore))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "published {0}, grace {1}, old key expires {2}: retire at {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # the old key has no expiry: after the grace period
          2024-10-24T10:00:00Z     | PT24H | | 2024-10-25T10:00:00Z
          2024-10-24T10:00:00Z     | PT0S  | | 2024-10-24T10:00:00Z
          2025-12-31T23:59:59Z     | PT5M  | | 2026-01-01T00:04:59Z
          # the old key expires after the grace period: grace period wins
          2024-10-24T10:00:00Z     | PT24H | 2024-11-23T00:00:00Z | 2024-10-25T10:00:00Z
          2010-10-01T12:34:56.789Z | P7D   | 2063-04-05T00:00:00Z | 2010-10-08T12:34:56.789Z
          # the old key expires first: never later than its own expiry
          2024-10-24T10:00:00Z     | PT24H | 2024-10-24T18:00:00Z | 2024-10-24T18:00:00Z
          2024-10-24T10:00:00Z     | PT24H | 2024-10-25T10:00:00Z | 2024-10-25T10:00:00Z
          2025-12-31T00:00:00Z     | P7D   | 2025-12-31T23:59:59Z | 2025-12-31T23:59:59Z
          # the old key already expired before the new one was published: retire at once
          2024-10-24T10:00:00Z     | PT1H  | 2024-10-24T09:00:00Z | 2024-10-24T09:00:00Z
          """)
  void retiresAfterTheGracePeriodButNoLaterThanExpiry(
      Instant publishedAt, Duration gracePeriod, Instant oldKeyExpiresAt, Instant expected) {
    assertThat(RenewalSchedule.retireTime(publishedAt, gracePeriod, oldKeyExpiresAt))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PT-1S", "PT-24H"})
  void rejectsANegativeGracePeriod(Duration gracePeriod) {
    Instant publishedAt = Instant.parse("2024-10-24T10:00:00Z");
    assertThatThrownBy(() -> RenewalSchedule.retireTime(publishedAt, gracePeriod, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
