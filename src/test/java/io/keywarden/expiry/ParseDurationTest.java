package io.keywarden.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Expected durations are written in ISO 8601 so they do not depend on the code under test. */
class ParseDurationTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # 000 --expiry-duration: 30m, 24h, 30d
          30m                  | PT30M
          24h                  | PT24H
          30d                  | PT720H
          # 001 --expiry-duration: 7d, 24h, 5d12h30s
          7d                   | PT168H
          5d12h30s             | PT132H30S
          # 001 STS default: 1 hour (3600 seconds); login timeout: 5 minutes
          1h                   | PT1H
          3600s                | PT1H
          5m                   | PT5M
          1h30m                | PT1H30M
          90m                  | PT1H30M
          1d1h1m1s             | PT25H1M1S
          1d30s                | PT24H30S
          0d0h0m1s             | PT1S
          1h30m0s              | PT1H30M
          007d                 | PT168H
          000000000000000000001s | PT1S
          # the limit, 100 years of 365 days, in every unit
          36500d               | PT876000H
          876000h              | PT876000H
          52560000m            | PT876000H
          3153600000s          | PT876000H
          36499d23h59m59s      | PT875999H59M59S
          36000d12000h         | PT876000H
          """)
  void readsDurations(String text, Duration expected) {
    assertThat(ExpiryParser.parseDuration(text)).isEqualTo(expected);
  }

  static Stream<Arguments> invalidDurations() {
    return Stream.of(
        Arguments.of("", "\"\" is empty"),
        Arguments.of("-5m", "\"-5m\" is negative"),
        Arguments.of("-0s", "\"-0s\" is negative"),
        Arguments.of("+5m", "\"+5m\" has the unexpected character \"+\" at position 0"),
        Arguments.of("5", "\"5\" ends with the number 5 without a unit"),
        Arguments.of("5d3", "\"5d3\" ends with the number 3 without a unit"),
        Arguments.of("h", "\"h\" has the unit 'h' without a number before it"),
        Arguments.of("d5h", "\"d5h\" has the unit 'd' without a number before it"),
        Arguments.of("100ms", "\"100ms\" has the unit 's' without a number before it"),
        Arguments.of("1w", "\"1w\" has the unknown unit 'w'"),
        Arguments.of("1y", "\"1y\" has the unknown unit 'y'"),
        Arguments.of("1H", "\"1H\" has the unknown unit 'H'"),
        Arguments.of("1D", "\"1D\" has the unknown unit 'D'"),
        Arguments.of("P30D", "\"P30D\" has the unexpected character \"P\" at position 0"),
        Arguments.of("PT30M", "\"PT30M\" has the unexpected character \"P\" at position 0"),
        Arguments.of("1.5h", "\"1.5h\" has the unexpected character \".\" at position 1"),
        Arguments.of("1,5h", "\"1,5h\" has the unexpected character \",\" at position 1"),
        Arguments.of("1h 30m", "\"1h 30m\" has the unexpected character \" \" at position 2"),
        Arguments.of(" 1h", "\" 1h\" has the unexpected character \" \" at position 0"),
        Arguments.of("1h ", "\"1h \" has the unexpected character \" \" at position 2"),
        Arguments.of("1h\n", "\"1h\\n\" has the unexpected character \"\\n\" at position 2"),
        // a full-width digit one
        Arguments.of(
            "\uff11h", "\"\uff11h\" has the unexpected character \"\uff11\" at position 0"),
        Arguments.of("1h1h", "\"1h1h\" repeats the unit 'h'"),
        Arguments.of("1d2d", "\"1d2d\" repeats the unit 'd'"),
        Arguments.of("30m1h", "\"30m1h\" has the unit 'h' after 'm'"),
        Arguments.of("1s1d", "\"1s1d\" has the unit 'd' after 's'"),
        Arguments.of("12h5d", "\"12h5d\" has the unit 'd' after 'h'"),
        Arguments.of("0s", "\"0s\" is zero"),
        Arguments.of("0d", "\"0d\" is zero"),
        Arguments.of("000m", "\"000m\" is zero"),
        Arguments.of("0d0h0m0s", "\"0d0h0m0s\" is zero"),
        Arguments.of("36500d1s", "\"36500d1s\" is longer than the maximum of 100 years (36500d)"),
        Arguments.of("36501d", "\"36501d\" is longer than the maximum"),
        Arguments.of("876001h", "\"876001h\" is longer than the maximum"),
        Arguments.of("3153600001s", "\"3153600001s\" is longer than the maximum"),
        Arguments.of("36000d12001h", "\"36000d12001h\" is longer than the maximum"),
        Arguments.of("9223372036854775807s", "\"9223372036854775807s\" is longer than the maximum"),
        Arguments.of("9223372036854775808s", "\"9223372036854775808s\" is longer than the maximum"),
        Arguments.of(
            "99999999999999999999d", "\"99999999999999999999d\" is longer than the maximum"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidDurations")
  void rejectsNamingTheProblem(String text, String message) {
    assertThatThrownBy(() -> ExpiryParser.parseDuration(text))
        .isInstanceOf(InvalidExpiryException.class)
        .hasMessageStartingWith("duration " + message)
        .hasMessageEndingWith("e.g. 30m, 24h, 7d, 5d12h30s");
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          PT30M                      | 30m
          PT24H                      | 1d
          PT720H                     | 30d
          PT168H                     | 7d
          PT132H30S                  | 5d12h30s
          PT1H                       | 1h
          PT5M                       | 5m
          PT1H30M                    | 1h30m
          PT25H1M1S                  | 1d1h1m1s
          PT48H1S                    | 2d1s
          PT1M59S                    | 1m59s
          PT876000H                  | 36500d
          # fractions of a second are dropped; under a second is 0s
          PT1.5S                     | 1s
          PT0.999999999S             | 0s
          PT0S                       | 0s
          # the longest java.time Duration does not overflow
          PT2562047788015215H30M7.999999999S | 106751991167300d15h30m7s
          """)
  void formatsCanonically(Duration duration, String expected) {
    assertThat(ExpiryParser.formatDuration(duration)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} reads back as {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          30m       | 30m
          24h       | 1d
          30d       | 30d
          7d        | 7d
          5d12h30s  | 5d12h30s
          1h30m     | 1h30m
          90m       | 1h30m
          3600s     | 1h
          007d      | 7d
          1h30m0s   | 1h30m
          36500d    | 36500d
          """)
  void formatIsTheCanonicalInverseOfParse(String text, String canonical) {
    assertThat(ExpiryParser.formatDuration(ExpiryParser.parseDuration(text))).isEqualTo(canonical);
    assertThat(ExpiryParser.parseDuration(canonical)).isEqualTo(ExpiryParser.parseDuration(text));
  }

  @ParameterizedTest
  @CsvSource({"PT-1S", "PT-0.000000001S", "PT-720H"})
  void negativeDurationsHaveNoForm(Duration negative) {
    assertThatThrownBy(() -> ExpiryParser.formatDuration(negative))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
