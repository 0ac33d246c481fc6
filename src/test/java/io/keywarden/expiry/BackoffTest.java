package io.keywarden.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  /** {@code Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)}. */
  private static final String LONGEST = "PT2562047788015215H30M7.999999999S";

  @ParameterizedTest(name = "after {0} failures, base {1}, max {2}: wait {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # no failures yet, or a nonsense count: the base
          -2147483648 | PT5S  | PT5M  | PT5S
          -1          | PT5S  | PT5M  | PT5S
          0           | PT5S  | PT5M  | PT5S
          # doubling from the base
          1           | PT5S  | PT5M  | PT5S
          2           | PT5S  | PT5M  | PT10S
          3           | PT5S  | PT5M  | PT20S
          4           | PT5S  | PT5M  | PT40S
          5           | PT5S  | PT5M  | PT1M20S
          6           | PT5S  | PT5M  | PT2M40S
          # capped
          7           | PT5S  | PT5M  | PT5M
          8           | PT5S  | PT5M  | PT5M
          64          | PT5S  | PT5M  | PT5M
          2147483647  | PT5S  | PT5M  | PT5M
          # a cap between two doublings, a cap reached exactly, a cap equal to the base
          2           | PT1S  | PT1.5S | PT1.5S
          3           | PT1S  | PT4S  | PT4S
          4           | PT1S  | PT4S  | PT4S
          1           | PT1M  | PT1M  | PT1M
          9           | PT1M  | PT1M  | PT1M
          """)
  void doublesUpToTheCap(int failedAttempts, Duration base, Duration max, Duration expected) {
    assertThat(Backoff.delayAfterFailures(failedAttempts, base, max)).isEqualTo(expected);
  }

  /** From one nanosecond up to the longest Duration: 2^62 and 2^92 ns overflow a long of nanos. */
  @ParameterizedTest(name = "after {0} failures: wait {1}")
  @CsvSource({
    "63, PT1281023H53M38.427387904S",
    "93, PT1375488932539311H24M59.596496896S",
    "94, " + LONGEST,
    "2147483647, " + LONGEST
  })
  void neverOverflows(int failedAttempts, Duration expected) {
    Duration longest = Duration.parse(LONGEST);
    assertThat(Backoff.delayAfterFailures(failedAttempts, Duration.ofNanos(1), longest))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "base {0}, max {1}")
  @CsvSource({"PT0S, PT5M", "PT-5S, PT5M", "PT1M, PT30S"})
  void rejectsANonPositiveBaseOrACapBelowIt(Duration base, Duration max) {
    assertThatThrownBy(() -> Backoff.delayAfterFailures(1, base, max))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
