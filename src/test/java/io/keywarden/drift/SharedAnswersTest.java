package io.keywarden.drift;

import io.keywarden.testsupport.StoppedClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.BackendException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SharedAnswersTest {
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final String SCOPE = "AccessKeyProvider/ns/aws|alice";

  private final StoppedClock clock = new StoppedClock(Instant.parse("2026-12-02T14:00:00Z"));
  private final SharedAnswers<String> answers = new SharedAnswers<>(INTERVAL, clock);
  private final AtomicInteger calls = new AtomicInteger();

  private String ask(String scope) {
    return answers.get(scope, () -> "answer " + calls.incrementAndGet());
  }

  /** Offsets of the time of asking again, relative to the scope's next slot after the first answer. */
  @ParameterizedTest(name = "asked again {0} from the next slot: {1} backend calls")
  @CsvSource({
    "-PT4M59.999S, 1",
    "-PT1M, 1",
    "-PT0.001S, 1",
    "PT0S, 2",
    "PT1M, 2",
    "PT4M59.999S, 2",
  })
  void anAnswerServesTheScopeUntilItsNextSlot(Duration fromNextSlot, int expectedCalls) {
    Instant slot = DriftSchedule.nextSlot(SCOPE, INTERVAL, clock.instant());
    clock.set(slot.minus(INTERVAL)); // the first key of the scope comes due at its slot
    String first = ask(SCOPE);

    clock.set(slot.plus(fromNextSlot));
    String second = ask(SCOPE);

    assertThat(calls.get()).isEqualTo(expectedCalls);
    assertThat(second.equals(first)).isEqualTo(expectedCalls == 1);
  }

  @Test
  void scopesDoNotShareAnswers() {
    assertThat(ask(SCOPE)).isEqualTo("answer 1");
    assertThat(ask("AccessKeyProvider/ns/aws|bob")).isEqualTo("answer 2");
    assertThat(ask(SCOPE)).isEqualTo("answer 1");
    assertThat(answers.size()).isEqualTo(2);
  }

  @Test
  void anInvalidatedScopeAsksAgain() {
    ask(SCOPE);
    answers.invalidate(SCOPE);
    assertThat(ask(SCOPE)).isEqualTo("answer 2");
  }

  @Test
  void aFailureIsPassedOnAndNotKept() {
    assertThatThrownBy(() -> answers.get(SCOPE, () -> {
      throw new BackendException(BackendException.Reason.THROTTLED, "Rate exceeded");
    })).isInstanceOf(BackendException.class).hasMessage("Rate exceeded");
    assertThat(ask(SCOPE)).isEqualTo("answer 1");
  }

  /** Keys that come due while the first one waits for the backend get its answer: one call. */
  @Test
  void keysThatAskWhileTheBackendAnswersShareThatOneCall() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<String> first = pool.submit(() -> answers.get(SCOPE, () -> {
        asking.countDown();
        await(answer);
        return "answer " + calls.incrementAndGet();
      }));
      asking.await();
      Future<String> second = pool.submit(() -> ask(SCOPE));
      Future<String> third = pool.submit(() -> ask(SCOPE));
      answer.countDown();

      assertThat(first.get()).isEqualTo("answer 1");
      assertThat(second.get()).isEqualTo("answer 1");
      assertThat(third.get()).isEqualTo("answer 1");
      assertThat(calls.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysWaitingOnAFailedCallGetTheSameFailureAndTheNextKeyAsksAgain() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> first = pool.submit(() -> answers.get(SCOPE, () -> {
        asking.countDown();
        await(answer);
        throw new BackendException(BackendException.Reason.UNAVAILABLE, "connection refused");
      }));
      asking.await();
      Future<String> waiting = pool.submit(() -> ask(SCOPE));
      answer.countDown();

      assertThatThrownBy(first::get).hasCauseInstanceOf(BackendException.class);
      // the waiting key either joined the failed call or asked after it: never a kept failure
      try {
        assertThat(waiting.get()).isEqualTo("answer 1");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(BackendException.class).hasMessage("connection refused");
      }
      assertThat(ask(SCOPE)).startsWith("answer ");
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
