package io.keywarden.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeaseTermsTest {
  private static final Instant RENEWED = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nobody holds it", null, RENEWED, 30, RENEWED.plusSeconds(1), true),
        Arguments.of("given up (empty holder)", "", RENEWED, 30, RENEWED.plusSeconds(1), true),
        Arguments.of("this instance holds it", "me", RENEWED, 30, RENEWED.plusSeconds(1), true),
        Arguments.of("another holds it, renewed just now", "other", RENEWED, 30, RENEWED, false),
        Arguments.of("another holds it, at the end of its duration", "other", RENEWED, 30, RENEWED.plusSeconds(30), false),
        Arguments.of("another let it lapse", "other", RENEWED, 30, RENEWED.plusSeconds(31), true),
        Arguments.of("another holds it, no renew time", "other", null, 30, RENEWED, true),
        Arguments.of("another holds it, no duration", "other", RENEWED, null, RENEWED, true));
  }

  @ParameterizedTest(name = "{0}: free={5}")
  @MethodSource("cases")
  void free(String why, String holder, Instant renewed, Integer duration, Instant now, boolean free) {
    assertThat(LeaseTerms.free(holder, "me", renewed, duration, now)).isEqualTo(free);
  }
}
