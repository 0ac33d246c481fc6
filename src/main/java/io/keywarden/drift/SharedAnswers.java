package io.keywarden.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One backend answer per scope and drift window, shared by every key of the scope: the first key
 * that comes due asks the backend, keys that come due while it waits get the same answer, and keys
 * reconciled later in the window reuse it. An answer is valid until the scope's next slot (see
 * {@link DriftSchedule}), so a scope costs at most one call per interval. keywarden's own changes
 * to a scope {@link #invalidate} it; failures are never kept.
 *
 * <p>The answer only tells a key that nothing needs doing. A reconcile that would act on it (create,
 * delete, repair) asks the backend again first: decisions rest on fresh reads.
 */
public final class SharedAnswers<V> {
  private record Answer<V>(V value, Instant validUntil) {}

  private final Duration interval;
  private final Clock clock;
  private final ConcurrentMap<String, Answer<V>> answers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  public SharedAnswers(Duration interval, Clock clock) {
    this.interval = interval;
    this.clock = clock;
  }

  /** The scope's answer of this window, asking {@code fetch} only if there is none yet. */
  public V get(String scope, Supplier<V> fetch) {
    Answer<V> known = answers.get(scope);
    if (known != null && clock.instant().isBefore(known.validUntil())) {
      return known.value();
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(scope, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Instant askedAt = clock.instant();
      V value = fetch.get();
      answers.put(scope, new Answer<>(value, DriftSchedule.nextSlot(scope, interval, askedAt)));
      mine.complete(value);
      return value;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(scope, mine);
    }
  }

  /** keywarden changed the scope's keys: the next key asks the backend again. */
  public void invalidate(String scope) {
    answers.remove(scope);
  }

  /** How many scopes hold an answer (for tests and metrics). */
  public int size() {
    return answers.size();
  }

  private static <V> V await(CompletableFuture<V> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
