package io.keywarden.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.keywarden.api.v1alpha1.Consumer;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Restarts an AccessKey's consumers for a published revision and reports how far they rolled out.
 * A consumer that already carries the revision is left alone, so asking again (after an operator
 * restart, on every reconcile) restarts nothing twice.
 */
public final class ConsumerRestarter {
  private final Workloads workloads;
  private final RestartDampener dampener;

  /**
   * @param consumers every consumer that now carries the revision (those that do not exist too:
   *     they run nothing that could hold the old key)
   * @param waitUntil null when every consumer carries the revision; otherwise when the dampening
   *     window of the ones still waiting closes
   */
  public record Restart(List<WorkloadRef> consumers, Instant waitUntil) {
    public boolean complete() {
      return waitUntil == null;
    }
  }

  public ConsumerRestarter(Workloads workloads, RestartDampener dampener) {
    this.workloads = workloads;
    this.dampener = dampener;
  }

  /** The named consumers, then the discovered ones, each once. Pure. */
  public static List<WorkloadRef> select(String namespace, Rotation rotation, List<WorkloadRef> referencing) {
    Set<WorkloadRef> selected = new LinkedHashSet<>();
    if (rotation == null) {
      return List.of();
    }
    if (rotation.consumers != null) {
      for (Consumer c : rotation.consumers) {
        selected.add(new WorkloadRef(namespace, c.kind, c.name));
      }
    }
    if (rotation.discovers()) {
      selected.addAll(referencing);
    }
    return List.copyOf(selected);
  }

  /**
   * Annotates every consumer's pod template with the revision, through the dampener.
   *
   * @param urgent a revoked key: no dampening window
   */
  public Restart restart(String namespace, Rotation rotation, String secretName, String accessKeyName,
      long revision, boolean urgent, Instant now) {
    List<WorkloadRef> referencing = rotation != null && rotation.discovers()
        ? workloads.referencing(namespace, secretName) : List.of();
    String key = RestartAnnotation.key(accessKeyName);
    String value = RestartAnnotation.value(revision);
    Instant waitUntil = null;
    List<WorkloadRef> consumers = select(namespace, rotation, referencing);
    for (WorkloadRef ref : consumers) {
      Optional<HasMetadata> workload = workloads.get(ref);
      if (workload.isEmpty() || value.equals(Workloads.templateAnnotation(workload.get(), key))) {
        continue;
      }
      Instant due = dampener.request(ref, key, value, now, urgent);
      Optional<RestartDampener.Batch> batch = dampener.takeIfDue(ref, now);
      if (batch.isPresent()) {
        workloads.annotateTemplate(ref, batch.get().annotations());
      } else {
        waitUntil = waitUntil == null || due.isBefore(waitUntil) ? due : waitUntil;
      }
    }
    return new Restart(consumers, waitUntil);
  }

  /** Each consumer's rollout as its controller reports it now. */
  public List<WorkloadRollout> progress(List<WorkloadRef> consumers) {
    List<WorkloadRollout> progress = new ArrayList<>();
    for (WorkloadRef ref : consumers) {
      progress.add(workloads.get(ref).map(RolloutProgress::of).orElseGet(() -> RolloutProgress.gone(ref)));
    }
    return progress;
  }
}
