package io.keywarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallRateTest {

  @Test
  void theBusiestSecondAndTheMeanOfTheSampledSeconds() {
    CallRate.Figures figures = CallRate.of(List.of(3.0, 12.0, 9.0, 0.0));
    assertThat(figures.peak()).isEqualTo(12.0);
    assertThat(figures.mean()).isEqualTo(6.0);
    assertThat(figures.seconds()).isEqualTo(4);
  }

  @Test
  void nothingSampledIsZeroNotAnError() {
    CallRate.Figures figures = CallRate.of(List.of());
    assertThat(figures.peak()).isZero();
    assertThat(figures.mean()).isZero();
  }
}
