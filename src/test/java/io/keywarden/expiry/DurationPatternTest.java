package io.keywarden.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD schema validates durations with {@link ExpiryParser#DURATION_PATTERN}; the reconciler
 * reads them with {@link ExpiryParser#parseDuration}. Whatever one accepts the other must too, or a
 * spec passes admission only to fail in the reconciler (or the reverse).
 */
class DurationPatternTest {

  private static final Pattern PATTERN = Pattern.compile(ExpiryParser.DURATION_PATTERN);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "30m", "24h", "30d", "7d", "5d12h30s", "1h", "3600s", "5m", "1h30m", "90m", "1d1h1m1s",
        "1d30s", "1d1m", "2h1s", "0d0h0m1s", "1h30m0s", "007d", "36500d", "3153600000s"
      })
  void bothAccept(String text) {
    assertThat(PATTERN.matcher(text).matches()).as("pattern matches %s", text).isTrue();
    assertThatNoException().isThrownBy(() -> ExpiryParser.parseDuration(text));
  }

  @ParameterizedTest
  @CsvSource(
      value = {
        "''", "-5m", "+5m", "5", "5d3", "h", "d5h", "100ms", "1w", "1H", "1D", "P30D", "PT30M",
        "1.5h", "'1,5h'", "'1h 30m'", "' 1h'", "'1h '", "1h1h", "1d2d", "30m1h", "1s1d", "12h5d",
        "1h1m1h", "d", "dhms"
      },
      emptyValue = "")
  void bothReject(String text) {
    assertThat(PATTERN.matcher(text).matches()).as("pattern matches %s", text).isFalse();
    assertThatThrownBy(() -> ExpiryParser.parseDuration(text))
        .isInstanceOf(InvalidExpiryException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h\n", "\n1h", "1h\r\n", "\uff11h", "1\u0660h"})
  void bothRejectLineBreaksAndNonAsciiDigits(String text) {
    assertThat(PATTERN.matcher(text).matches()).isFalse();
    assertThatThrownBy(() -> ExpiryParser.parseDuration(text))
        .isInstanceOf(InvalidExpiryException.class);
  }

  /** Limits a regular expression cannot express: only the parser knows them. */
  @ParameterizedTest
  @ValueSource(strings = {"0s", "0d", "000m", "0d0h0m0s", "36500d1s", "99999999999999999999d"})
  void onlyTheParserRejectsZeroAndTooLong(String text) {
    assertThat(PATTERN.matcher(text).matches()).isTrue();
    assertThatThrownBy(() -> ExpiryParser.parseDuration(text))
        .isInstanceOf(InvalidExpiryException.class);
  }

  /** The API server searches for the pattern anywhere in the value, so it must be anchored. */
  @ParameterizedTest
  @ValueSource(strings = {"x30m", "30mx", "1h 30m", "30m 30m", "P1D"})
  void isAnchoredForSearchingMatchers(String text) {
    assertThat(PATTERN.matcher(text).find()).isFalse();
  }

  /** The API server compiles CRD patterns with Go's RE2, which lacks these Java constructs. */
  @Test
  void usesNoConstructGoRegexpLacks() {
    assertThat(ExpiryParser.DURATION_PATTERN)
        .doesNotContain("(?=", "(?!", "(?<=", "(?<!", "(?>", "\\z", "\\Z", "\\G", "*+", "++", "?+");
  }
}
