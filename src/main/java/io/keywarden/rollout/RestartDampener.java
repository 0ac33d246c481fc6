package io.keywarden.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers the restart annotations that several AccessKeys want on one workload within a short
 * window, so that the workload is patched once and rolls out once. The window opens with a
 * workload's first request and closes {@code window} later; an urgent request (a revoked key)
 * closes it at once and takes what is already gathered along. Decisions depend on the time given,
 * never on a clock of its own, so they are tested on a fake clock.
 *
 * <p>What is gathered lives in memory: after an operator restart the AccessKeys ask again,
 * because their workloads still lack their annotation.
 */
public final class RestartDampener {
  private final Duration window;
  private final Map<WorkloadRef, Batch> pending = new HashMap<>();

  /** The annotations one workload is waiting for, and when they are written. */
  public record Batch(WorkloadRef workload, Map<String, String> annotations, Instant due) {}

  public RestartDampener(Duration window) {
    this.window = window;
  }

  /**
   * Adds an annotation to the workload's batch (a later value for the same key replaces an earlier
   * one); returns when the batch is due.
   */
  public synchronized Instant request(WorkloadRef workload, String key, String value, Instant now, boolean urgent) {
    Batch batch = pending.computeIfAbsent(workload, w -> new Batch(w, new LinkedHashMap<>(), now.plus(window)));
    batch.annotations().put(key, value);
    if (urgent && batch.due().isAfter(now)) {
      batch = new Batch(workload, batch.annotations(), now);
      pending.put(workload, batch);
    }
    return batch.due();
  }

  /** Removes and returns the workload's batch if it is due. */
  public synchronized Optional<Batch> takeIfDue(WorkloadRef workload, Instant now) {
    Batch batch = pending.get(workload);
    if (batch == null || batch.due().isAfter(now)) {
      return Optional.empty();
    }
    pending.remove(workload);
    return Optional.of(new Batch(workload, Map.copyOf(batch.annotations()), batch.due()));
  }
}
