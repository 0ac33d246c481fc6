package io.keywarden.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every test passes its own instants: the budget has no clock of its own. */
class CallBudgetTest {
  private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

  @ParameterizedTest(name = "{0}/s, burst {1}: {1} admitted at once, then wait {2}")
  @CsvSource({
    "10, 20, PT0.1S",
    "5,  10, PT0.2S",
    "1,  1,  PT1S",
    "0.5, 1, PT2S",
  })
  void aQuietBudgetAdmitsItsBurstAtOnceThenOneCallPerInterval(double rate, int burst, Duration interval) {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", rate, burst));
    for (int i = 0; i < burst; i++) {
      assertThat(budget.admit(T0).granted()).as("call %d of the burst", i + 1).isTrue();
      budget.spent(T0);
    }

    CallBudget.Admission refused = budget.admit(T0);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(interval);
    assertThat(budget.admit(T0.plus(interval)).granted()).isTrue();
  }

  /**
   * Callers that try every millisecond for a minute, each call admitted on its own: what the
   * backend sees stays within rate × time + burst, and the budget is used, not left idle.
   */
  @ParameterizedTest(name = "{0}/s, burst {1}")
  @CsvSource({"10, 20", "5, 10", "20, 40", "1, 2", "100, 1"})
  void underConstantDemandTheCallsStayWithinTheRate(double rate, int burst) {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", rate, burst));
    Duration window = Duration.ofMinutes(1);
    long calls = 0;
    for (long ms = 0; ms < window.toMillis(); ms++) {
      Instant now = T0.plusMillis(ms);
      while (budget.admit(now).granted()) {
        budget.spent(now);
        calls++;
      }
    }
    double allowed = rate * window.toSeconds() + burst;
    assertThat((double) calls).isLessThanOrEqualTo(allowed).isGreaterThanOrEqualTo(allowed - 2);
  }

  /** A reconcile admitted with the last of the budget makes its three calls; the next ones pay for them. */
  @Test
  void callsOfAnAdmittedReconcileRunIntoDebtThatLaterAdmissionsPay() {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", 10, 1));
    assertThat(budget.admit(T0).granted()).isTrue();
    budget.spent(T0);
    budget.spent(T0);
    budget.spent(T0);

    CallBudget.Admission next = budget.admit(T0);
    assertThat(next.granted()).isFalse();
    assertThat(next.retryAfter()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void refusedCallersAreGivenTurnsOneCallApart() {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", 10, 1));
    budget.spent(T0);

    assertThat(budget.admit(T0).retryAfter()).isEqualTo(Duration.ofMillis(100));
    assertThat(budget.admit(T0).retryAfter()).isEqualTo(Duration.ofMillis(200));
    assertThat(budget.admit(T0.plusMillis(50)).retryAfter()).isEqualTo(Duration.ofMillis(250));
    // once the budget admits again, a caller goes ahead at once: turns only order the refused
    assertThat(budget.admit(T0.plusMillis(100)).granted()).isTrue();
  }

  @Test
  void aRefusalAlwaysNamesAWaitAboveZeroSoNoCallerRetriesAtOnce() {
    CallBudget budget = new CallBudget(new BudgetLimit("minio", 1000, 1));
    budget.spent(T0);
    CallBudget.Admission refused = budget.admit(T0);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
  }

  /** A requeue counts whole milliseconds: a turn is never named before it comes. */
  @ParameterizedTest(name = "{0}/s: come back after {1}")
  @CsvSource({"3, PT0.334S", "7, PT0.143S", "5, PT0.2S", "0.15625, PT6.4S"})
  void aRefusalNamesWholeMillisecondsNotBeforeTheTurn(double rate, Duration expected) {
    CallBudget budget = new CallBudget(new BudgetLimit("outscale", rate, 1));
    budget.spent(T0);

    Duration retryAfter = budget.admit(T0).retryAfter();
    assertThat(retryAfter).isEqualTo(expected);
    assertThat(budget.admit(T0.plus(retryAfter).minusMillis(1)).granted()).as("a millisecond before").isFalse();
    assertThat(budget.admit(T0.plus(retryAfter)).granted()).as("at the named time").isTrue();
  }

  @Test
  void throttlingHalvesTheRateAndEmptiesTheBurst() {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", 10, 20));
    budget.throttled(T0);

    assertThat(budget.rate(T0)).isEqualTo(5.0);
    CallBudget.Admission refused = budget.admit(T0);
    assertThat(refused.granted()).isFalse();
    // 20 calls' worth at 5/s were pushed ahead, of which 19 may be committed ahead: one interval's wait
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(200));
  }

  @ParameterizedTest(name = "after {0} throttling answers in a row: {1}/s")
  @CsvSource({"1, 5.0", "2, 2.5", "3, 1.25", "6, 0.15625", "7, 0.15625", "50, 0.15625"})
  void repeatedThrottlingSlowsDownToAFloor(int answers, double expectedRate) {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", 10, 20));
    for (int i = 0; i < answers; i++) {
      budget.throttled(T0);
    }
    assertThat(budget.rate(T0)).isEqualTo(expectedRate);
  }

  @ParameterizedTest(name = "{0} after throttling: {1}/s")
  @CsvSource({"PT0S, 5.0", "PT15S, 6.25", "PT30S, 7.5", "PT59S, 9.916666666666666", "PT1M, 10.0", "PT1H, 10.0"})
  void theRateClimbsBackLinearlyOverTheRecoveryTime(Duration since, double expectedRate) {
    CallBudget budget = new CallBudget(new BudgetLimit("aws", 10, 20));
    budget.throttled(T0);
    assertThat(budget.rate(T0.plus(since))).isCloseTo(expectedRate, within(1e-9));
  }

  @Test
  void aQuietBudgetIsFullAgainAfterItsBurstTime() {
    CallBudget budget = new CallBudget(new BudgetLimit("outscale", 5, 10));
    for (int i = 0; i < 10; i++) {
      budget.spent(T0);
    }
    assertThat(budget.admit(T0).granted()).isFalse();

    Instant later = T0.plusSeconds(2);
    int admitted = 0;
    while (budget.admit(later).granted()) {
      budget.spent(later);
      admitted++;
    }
    assertThat(admitted).isEqualTo(10);
  }
}
