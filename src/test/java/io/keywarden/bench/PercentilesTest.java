package io.keywarden.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PercentilesTest {
  static Stream<Arguments> cases() {
    double[] hundred = new double[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i; // 100..1, unsorted on purpose
    }
    return Stream.of(
        Arguments.of("one sample is every percentile", new double[] {7}, 50, 7.0),
        Arguments.of("one sample, p99", new double[] {7}, 99, 7.0),
        Arguments.of("median of an odd count is the middle", new double[] {3, 1, 2}, 50, 2.0),
        Arguments.of("median of an even count is the lower middle", new double[] {4, 1, 3, 2}, 50, 2.0),
        Arguments.of("p99 of 100 samples is the 99th", hundred, 99, 99.0),
        Arguments.of("p50 of 100 samples is the 50th", hundred, 50, 50.0),
        Arguments.of("p100 is the largest", hundred, 100, 100.0),
        Arguments.of("p1 is the smallest", hundred, 1, 1.0),
        Arguments.of("tiny p is still the smallest", hundred, 0.001, 1.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nearestRank(String why, double[] samples, double p, double expected) {
    assertThat(new Percentiles(samples).at(p)).isEqualTo(expected);
  }

  @Test
  void noSamplesIsNaN() {
    assertThat(new Percentiles().at(50)).isNaN();
  }

  @Test
  void refusesPercentilesOutsideTheRange() {
    assertThatThrownBy(() -> new Percentiles(1).at(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Percentiles(1).at(101)).isInstanceOf(IllegalArgumentException.class);
  }
}
