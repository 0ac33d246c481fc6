package io.keywarden.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.KeyBackend;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reconciles as the lifecycle runs them, on a stopped clock moved by the test: each lifecycle step
 * looks the key up, then makes the step's calls; a refused reconcile comes back when it is told to
 * (plus the time a requeue takes) and starts again at the step it had not done.
 */
class StepAdmissionTest {
  private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");
  private static final String PROVIDER = "AccessKeyProvider/ns/osc";
  /** Far more attempts than any row needs: a reconcile that would never proceed ends the run here. */
  private static final int GIVE_UP = 10_000;

  private final StoppedClock clock = new StoppedClock(T0);
  private final InMemoryKeyBackend memory = new InMemoryKeyBackend(clock);
  private final AtomicInteger calls = new AtomicInteger();

  /**
   * Whatever the budget and however many reconciles share it: every step is carried out, refused
   * attempts spend nothing (the backend sees exactly the calls of the steps), and no reconcile is
   * refused more than once per step it has to wait for.
   */
  @ParameterizedTest(name = "{0}/s, burst {1}, {2} calls ahead, {3} reconciles of {4} steps of 1+{5} calls, requeue {6} ms")
  @CsvSource({
    // the report: an Outscale-like budget spent by a recovery, one key rotating
    "5,   10, 10, 1, 4, 1, 20",
    "5,   10, 10, 1, 4, 1, 0",
    // no burst: every call waits for the one before
    "5,   1,  0,  1, 4, 1, 20",
    "5,   1,  1,  1, 4, 2, 0",
    // a throttling answer slowed the rate down (a call every 6.4 s)
    "0.15625, 10, 10, 1, 3, 1, 20",
    // several keys of one provider, at once
    "5,   10, 10, 3, 4, 1, 20",
    "10,  20, 20, 8, 3, 2, 5",
    "20,  1,  0,  4, 2, 1, 1",
  })
  void everyStepIsCarriedOutAndRefusedAttemptsSpendNothing(double rate, int burst, int callsAhead, int reconciles,
      int steps, int callsPerStep, long requeueMillis) {
    ProviderBudgets budgets = new ProviderBudgets(Map.of("outscale", new BudgetLimit("outscale", rate, burst)), clock);
    memory.beforeEachCall(operation -> calls.incrementAndGet());
    KeyBackend backend = budgets.wrap(PROVIDER, "outscale", memory);
    for (int i = 0; i < callsAhead; i++) {
      backend.list("recovery");
    }
    calls.set(0);

    List<Reconcile> waiting = new ArrayList<>();
    for (int i = 0; i < reconciles; i++) {
      waiting.add(new Reconcile("user-" + i, steps, T0));
    }
    int attempts = 0;
    while (!waiting.isEmpty() && attempts < GIVE_UP) {
      Reconcile next = waiting.stream().min(Comparator.comparing(r -> r.comesBackAt)).orElseThrow();
      clock.set(next.comesBackAt);
      attempts++;
      try {
        next.attempt(new StepAdmission(() -> budgets.admit(PROVIDER, "outscale")), backend, callsPerStep);
        waiting.remove(next);
      } catch (OverBudget refused) {
        next.refusals++;
        next.comesBackAt = clock.instant().plus(refused.retryAfter()).plusMillis(requeueMillis);
      }
    }

    assertThat(waiting).as("reconciles that never got through").isEmpty();
    assertThat(calls.get()).as("calls at the backend").isEqualTo(reconciles * steps * (1 + callsPerStep));
  }

  /** One reconcile alone on a spent budget: refused at most once per step, then admitted at its turn. */
  @ParameterizedTest(name = "{0}/s, burst {1}, requeue {2} ms")
  @CsvSource({"5, 10, 20", "5, 1, 0", "10, 20, 199", "0.15625, 10, 20"})
  void aLoneReconcileIsAdmittedAtTheTurnItWasGiven(double rate, int burst, long requeueMillis) {
    ProviderBudgets budgets = new ProviderBudgets(Map.of("outscale", new BudgetLimit("outscale", rate, burst)), clock);
    KeyBackend backend = budgets.wrap(PROVIDER, "outscale", memory);
    for (int i = 0; i < burst; i++) {
      backend.list("recovery");
    }
    Reconcile rotation = new Reconcile("bob", 4, T0);
    for (int attempt = 0; attempt < GIVE_UP && rotation.stepsLeft > 0; attempt++) {
      clock.set(rotation.comesBackAt);
      try {
        rotation.attempt(new StepAdmission(() -> budgets.admit(PROVIDER, "outscale")), backend, 1);
      } catch (OverBudget refused) {
        rotation.refusals++;
        rotation.comesBackAt = clock.instant().plus(refused.retryAfter()).plusMillis(requeueMillis);
      }
    }
    assertThat(rotation.stepsLeft).isZero();
    assertThat(rotation.refusals).isLessThanOrEqualTo(4);
  }

  @Test
  void aStepAsksOnceAndTheNextStepAsksAgain() {
    AtomicInteger asked = new AtomicInteger();
    StepAdmission admission = new StepAdmission(asked::incrementAndGet);
    admission.beforeCall();
    admission.beforeCall();
    admission.beforeCall();
    assertThat(asked).hasValue(1);

    admission.stepDone();
    admission.beforeCall();
    assertThat(asked).hasValue(2);
  }

  @Test
  void aRefusedAskIsAskedAgainBeforeTheNextCall() {
    AtomicInteger asked = new AtomicInteger();
    StepAdmission admission = new StepAdmission(() -> {
      if (asked.incrementAndGet() == 1) {
        throw new OverBudget(PROVIDER, Duration.ofMillis(200));
      }
    });
    try {
      admission.beforeCall();
    } catch (OverBudget expected) {
      // refused: nothing may be called
    }
    admission.beforeCall();
    assertThat(asked).hasValue(2);
  }

  /** A reconcile's progress: the steps done stay done (they are in status), the rest starts over. */
  private static final class Reconcile {
    final String user;
    int stepsLeft;
    Instant comesBackAt;
    int refusals;

    Reconcile(String user, int steps, Instant at) {
      this.user = user;
      this.stepsLeft = steps;
      this.comesBackAt = at;
    }

    /** As KeyLifecycle.converge: observe (a lookup), then the step's calls; then the next step. */
    void attempt(StepAdmission admission, KeyBackend backend, int callsPerStep) {
      while (stepsLeft > 0) {
        admission.beforeCall();
        backend.list(user);
        admission.beforeCall();
        for (int i = 0; i < callsPerStep; i++) {
          backend.list(user);
        }
        admission.stepDone();
        stepsLeft--;
      }
    }
  }
}
