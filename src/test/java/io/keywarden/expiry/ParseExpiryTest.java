package io.keywarden.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ParseExpiryTest {

  private static final String NOT_A_FORMAT = "is not in an accepted format";
  private static final String NOT_A_DATE = "is not a valid date and time";

  @ParameterizedTest(name = "{0} in {1} is {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # 000 mc admin accesskey create --expiry, the five allowed forms, read in UTC
          2024-10-24                    | UTC | 2024-10-24T00:00:00Z
          2024-10-24T10:00              | UTC | 2024-10-24T10:00:00Z
          2024-10-24T10:00:00           | UTC | 2024-10-24T10:00:00Z
          2024-10-24T10:00:00Z          | UTC | 2024-10-24T10:00:00Z
          2024-10-24T10:00:00-07:00     | UTC | 2024-10-24T17:00:00Z
          # 000 example: expires on the fifteenth day of January, 2027
          2027-01-15                    | UTC | 2027-01-15T00:00:00Z
          # 001 create-with-login --expiry table
          2025-12-31                    | UTC | 2025-12-31T00:00:00Z
          2025-12-31T23:59              | UTC | 2025-12-31T23:59:00Z
          2025-12-31T23:59:59           | UTC | 2025-12-31T23:59:59Z
          2025-12-31T23:59:59Z          | UTC | 2025-12-31T23:59:59Z
          # 002 AWS CreateDate, 004 EIM CreateDate: RFC 3339 with milliseconds
          2015-03-09T18:39:23.411Z      | UTC | 2015-03-09T18:39:23.411Z
          2016-05-12T14:58:06.364Z      | UTC | 2016-05-12T14:58:06.364Z
          # 003/004 Outscale ExpirationDate examples and response dates (offset without colon)
          2063-04-05                    | UTC | 2063-04-05T00:00:00Z
          2020-06-14                    | UTC | 2020-06-14T00:00:00Z
          2020-06-14T00:00:00.000Z      | UTC | 2020-06-14T00:00:00Z
          2010-10-01T12:34:56.789+0000  | UTC | 2010-10-01T12:34:56.789Z
          2063-04-05T00:00:00.000+0000  | UTC | 2063-04-05T00:00:00Z
          # other offsets, with and without colon, and fractions of every length
          2024-10-24T10:00:00+05:30     | UTC | 2024-10-24T04:30:00Z
          2024-10-24T10:00:00+0530      | UTC | 2024-10-24T04:30:00Z
          2024-10-24T10:00:00-0700      | UTC | 2024-10-24T17:00:00Z
          2024-10-24T10:00:00-00:30     | UTC | 2024-10-24T10:30:00Z
          2024-10-24T10:00:00-00:00     | UTC | 2024-10-24T10:00:00Z
          2024-10-24T10:00:00+18:00     | UTC | 2024-10-23T16:00:00Z
          2024-10-24T10:00:00-1800      | UTC | 2024-10-25T04:00:00Z
          2024-10-24T10:00:00.5-07:00   | UTC | 2024-10-24T17:00:00.500Z
          2024-10-24T10:00:00.000000001Z | UTC | 2024-10-24T10:00:00.000000001Z
          2024-10-24T10:00:00.123456789+0000 | UTC | 2024-10-24T10:00:00.123456789Z
          2024-02-29                    | UTC | 2024-02-29T00:00:00Z
          # an explicit offset wins over the zone for local times
          2024-10-24T10:00:00-07:00     | Europe/Paris        | 2024-10-24T17:00:00Z
          2025-12-31T23:59:59Z          | Europe/Paris        | 2025-12-31T23:59:59Z
          2010-10-01T12:34:56.789+0000  | America/Los_Angeles | 2010-10-01T12:34:56.789Z
          """)
  void readsEveryAcceptedForm(String text, ZoneId zone, Instant expected) {
    assertThat(ExpiryParser.parseExpiry(text, zone)).isEqualTo(expected);
  }

  /** 001: dates without a time zone are local; keywarden reads them in the zone it is given. */
  @ParameterizedTest(name = "{0} in {1} is {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2024-10-24                | Europe/Paris        | 2024-10-23T22:00:00Z
          2024-10-24T10:00:00       | Europe/Paris        | 2024-10-24T08:00:00Z
          2024-10-24                | America/Los_Angeles | 2024-10-24T07:00:00Z
          # the zone-less 000 example in Los Angeles is the -07:00 example
          2024-10-24T10:00          | America/Los_Angeles | 2024-10-24T17:00:00Z
          2024-10-24T10:00:00       | America/Los_Angeles | 2024-10-24T17:00:00Z
          2024-10-24                | Asia/Kolkata        | 2024-10-23T18:30:00Z
          2024-10-24                | Pacific/Kiritimati  | 2024-10-23T10:00:00Z
          2024-10-24                | +05:30              | 2024-10-23T18:30:00Z
          2025-12-31                | Europe/Paris        | 2025-12-30T23:00:00Z
          2025-12-31T23:59          | Europe/Paris        | 2025-12-31T22:59:00Z
          2025-12-31                | America/Los_Angeles | 2025-12-31T08:00:00Z
          2025-12-31T23:59:59       | America/Los_Angeles | 2026-01-01T07:59:59Z
          2027-01-15                | Europe/Paris        | 2027-01-14T23:00:00Z
          2063-04-05                | Europe/Paris        | 2063-04-04T22:00:00Z
          # Paris springs forward 2024-03-31 02:00 -> 03:00: a time in the gap moves forward by it
          2024-03-31                | Europe/Paris        | 2024-03-30T23:00:00Z
          2024-03-31T01:59          | Europe/Paris        | 2024-03-31T00:59:00Z
          2024-03-31T02:00          | Europe/Paris        | 2024-03-31T01:00:00Z
          2024-03-31T02:30          | Europe/Paris        | 2024-03-31T01:30:00Z
          2024-03-31T03:00          | Europe/Paris        | 2024-03-31T01:00:00Z
          2024-04-01                | Europe/Paris        | 2024-03-31T22:00:00Z
          # Paris falls back 2024-10-27 03:00 -> 02:00: a time in the overlap is the earlier instant
          2024-10-27                | Europe/Paris        | 2024-10-26T22:00:00Z
          2024-10-27T01:59:59       | Europe/Paris        | 2024-10-26T23:59:59Z
          2024-10-27T02:30          | Europe/Paris        | 2024-10-27T00:30:00Z
          2024-10-27T03:00          | Europe/Paris        | 2024-10-27T02:00:00Z
          2024-10-28                | Europe/Paris        | 2024-10-27T23:00:00Z
          # Los Angeles springs forward 2024-03-10 02:00 -> 03:00
          2024-03-10T01:59:59       | America/Los_Angeles | 2024-03-10T09:59:59Z
          2024-03-10T02:00          | America/Los_Angeles | 2024-03-10T10:00:00Z
          2024-03-10T02:30          | America/Los_Angeles | 2024-03-10T10:30:00Z
          2024-03-10T03:00          | America/Los_Angeles | 2024-03-10T10:00:00Z
          # Los Angeles falls back 2024-11-03 02:00 -> 01:00
          2024-11-03                | America/Los_Angeles | 2024-11-03T07:00:00Z
          2024-11-03T01:30          | America/Los_Angeles | 2024-11-03T08:30:00Z
          2024-11-03T02:00          | America/Los_Angeles | 2024-11-03T10:00:00Z
          2024-11-04                | America/Los_Angeles | 2024-11-04T08:00:00Z
          # Sao Paulo skipped midnight on 2018-11-04: the day starts at 01:00 -02:00
          2018-11-04                | America/Sao_Paulo   | 2018-11-04T03:00:00Z
          2018-11-03T23:00          | America/Sao_Paulo   | 2018-11-04T02:00:00Z
          # Havana fell back 2024-11-03 01:00 -> 00:00: the day starts at the first midnight
          2024-11-03                | America/Havana      | 2024-11-03T04:00:00Z
          """)
  void readsLocalFormsInTheGivenZone(String text, ZoneId zone, Instant expected) {
    assertThat(ExpiryParser.parseExpiry(text, zone)).isEqualTo(expected);
  }

  static Stream<Arguments> invalidExpiries() {
    return Stream.of(
        invalid("", NOT_A_FORMAT),
        // no trimming: whitespace anywhere is an error, shown escaped in the message
        invalid(" 2024-10-24", NOT_A_FORMAT),
        invalid("2024-10-24 ", NOT_A_FORMAT),
        shownAs("2024-10-24\n", "\"2024-10-24\\n\"", NOT_A_FORMAT),
        shownAs("\t2024-10-24", "\"\\t2024-10-24\"", NOT_A_FORMAT),
        shownAs("2024-10-24\u0000", "\"2024-10-24\\u0000\"", NOT_A_FORMAT),
        shownAs("2024-10-24\"", "\"2024-10-24\\\"\"", NOT_A_FORMAT),
        invalid("2024-10-24 10:00:00", NOT_A_FORMAT),
        // RFC 3339 allows lower case and space; keywarden is not lenient about it
        invalid("2024-10-24t10:00:00Z", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00z", NOT_A_FORMAT),
        // an offset needs seconds; a fraction needs an offset
        invalid("2024-10-24T10:00Z", NOT_A_FORMAT),
        invalid("2024-10-24T10:00-07:00", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00.5", NOT_A_FORMAT),
        invalid("2024-10-24T10", NOT_A_FORMAT),
        invalid("2024-10-24T", NOT_A_FORMAT),
        invalid("2024-10-24T1:00", NOT_A_FORMAT),
        invalid("2024-1-24", NOT_A_FORMAT),
        invalid("24-10-2024", NOT_A_FORMAT),
        invalid("2024/10/24", NOT_A_FORMAT),
        invalid("20241024", NOT_A_FORMAT),
        invalid("20241024T100000Z", NOT_A_FORMAT),
        invalid("2024-W43-4", NOT_A_FORMAT),
        invalid("2024-298", NOT_A_FORMAT),
        invalid("+2024-10-24", NOT_A_FORMAT),
        invalid("12024-10-24", NOT_A_FORMAT),
        invalid("\uff12\uff10\uff12\uff14-10-24", NOT_A_FORMAT),
        invalid("1729764000", NOT_A_FORMAT),
        invalid("Thu, 24 Oct 2024 10:00:00 GMT", NOT_A_FORMAT),
        invalid("tomorrow", NOT_A_FORMAT),
        invalid("30d", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00.1234567890Z", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00.Z", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00ZZ", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00+07", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00+7:00", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00+07:00:00", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00 +07:00", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00GMT", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00UTC", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00[Europe/Paris]", NOT_A_FORMAT),
        invalid("2024-10-24T10:00:00+02:00[Europe/Paris]", NOT_A_FORMAT),
        // the right shape but not a real date, time or offset
        invalid("2024-02-30", NOT_A_DATE),
        invalid("2023-02-29", NOT_A_DATE),
        invalid("2024-13-01", NOT_A_DATE),
        invalid("2024-00-10", NOT_A_DATE),
        invalid("2024-10-32", NOT_A_DATE),
        invalid("2024-10-24T24:00", NOT_A_DATE),
        invalid("2024-10-24T10:60", NOT_A_DATE),
        invalid("2024-10-24T10:00:60Z", NOT_A_DATE),
        invalid("2016-12-31T23:59:60Z", NOT_A_DATE),
        invalid("2025-12-31T23:59:59+19:00", NOT_A_DATE),
        invalid("2010-10-01T12:34:56.789+1900", NOT_A_DATE),
        invalid("2024-10-24T10:00:00+05:60", NOT_A_DATE));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidExpiries")
  void rejectsAnythingElseQuotingTheInput(String text, String quoted, String problem) {
    assertThatThrownBy(() -> ExpiryParser.parseExpiry(text, ZoneOffset.UTC))
        .isInstanceOf(InvalidExpiryException.class)
        .hasMessageStartingWith("expiry " + quoted + " " + problem);
  }

  @Test
  void rejectionListsTheAcceptedFormsAndTheZoneForLocalTimes() {
    assertThatThrownBy(() -> ExpiryParser.parseExpiry("24/10/2024", ZoneId.of("Europe/Paris")))
        .hasMessageContainingAll(
            "2024-10-24 (midnight)",
            "2024-10-24T10:00 and 2024-10-24T10:00:00 (these three in Europe/Paris)",
            "2024-10-24T10:00:00Z",
            "2010-10-01T12:34:56.789+0000");
  }

  @Test
  void invalidDateNamesWhatIsWrongWithIt() {
    assertThatThrownBy(() -> ExpiryParser.parseExpiry("2024-02-30", ZoneOffset.UTC))
        .hasMessageContaining("Invalid date 'FEBRUARY 30'");
  }

  private static Arguments invalid(String text, String problem) {
    return shownAs(text, '"' + text + '"', problem);
  }

  private static Arguments shownAs(String text, String quoted, String problem) {
    return Arguments.of(text, quoted, problem);
  }
}
