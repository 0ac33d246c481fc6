package io.keywarden.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.api.v1alpha1.WorkloadRollout;

/**
 * How far a workload's controller has rolled out its current pod template, read from the
 * workload's status alone (no pod listing). Done means: the controller has seen the latest
 * template (observedGeneration caught up), every wanted pod runs it and is available, and no pod of
 * an older template is left (running or terminating) — only then has no pod the old key any more.
 * A template the controller never rolls out by itself (paused, OnDelete, a partition) never becomes
 * done, which is what keeps the old key.
 */
public final class RolloutProgress {
  private RolloutProgress() {}

  /** A consumer that no longer exists runs no pods: nothing waits for it. */
  public static WorkloadRollout gone(WorkloadRef ref) {
    return new WorkloadRollout(ref.kind(), ref.name(), 0, 0, 0, true);
  }

  public static WorkloadRollout of(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return deployment(d);
    }
    if (workload instanceof StatefulSet s) {
      return statefulSet(s);
    }
    if (workload instanceof DaemonSet ds) {
      return daemonSet(ds);
    }
    throw new IllegalArgumentException("not a workload kind keywarden restarts: " + workload.getKind());
  }

  private static WorkloadRollout deployment(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int desired = orDefault(d.getSpec().getReplicas(), 1);
    if (s == null) {
      return new WorkloadRollout(WorkloadKind.Deployment, name(d), desired, 0, 0, false);
    }
    int updated = orZero(s.getUpdatedReplicas());
    int available = orZero(s.getAvailableReplicas());
    boolean done = observed(d, s.getObservedGeneration())
        && !Boolean.TRUE.equals(d.getSpec().getPaused())
        && updated >= desired
        && orZero(s.getReplicas()) <= updated // pods of older ReplicaSets are counted here until gone
        && orZero(s.getAvailableReplicas()) >= desired
        && orZero(s.getTerminatingReplicas()) == 0;
    return new WorkloadRollout(WorkloadKind.Deployment, name(d), desired, updated, available, done);
  }

  private static WorkloadRollout statefulSet(StatefulSet set) {
    StatefulSetStatus s = set.getStatus();
    int desired = orDefault(set.getSpec().getReplicas(), 1);
    if (s == null) {
      return new WorkloadRollout(WorkloadKind.StatefulSet, name(set), desired, 0, 0, false);
    }
    int updated = orZero(s.getUpdatedReplicas());
    int available = orZero(s.getAvailableReplicas());
    // the controller moves currentRevision to updateRevision once every pod runs it
    boolean onUpdateRevision = s.getUpdateRevision() == null || s.getUpdateRevision().equals(s.getCurrentRevision());
    boolean done = observed(set, s.getObservedGeneration())
        && onUpdateRevision
        && updated >= desired
        && orZero(s.getReplicas()) <= updated
        && orZero(s.getAvailableReplicas()) >= desired;
    return new WorkloadRollout(WorkloadKind.StatefulSet, name(set), desired, updated, available, done);
  }

  private static WorkloadRollout daemonSet(DaemonSet ds) {
    DaemonSetStatus s = ds.getStatus();
    if (s == null) {
      return new WorkloadRollout(WorkloadKind.DaemonSet, name(ds), null, 0, 0, false);
    }
    int desired = orZero(s.getDesiredNumberScheduled());
    int updated = orZero(s.getUpdatedNumberScheduled());
    int available = orZero(s.getNumberAvailable());
    boolean done = observed(ds, s.getObservedGeneration())
        && updated >= desired
        && orZero(s.getNumberAvailable()) >= desired
        && orZero(s.getNumberUnavailable()) == 0
        && orZero(s.getCurrentNumberScheduled()) <= desired;
    return new WorkloadRollout(WorkloadKind.DaemonSet, name(ds), desired, updated, available, done);
  }

  private static boolean observed(HasMetadata workload, Long observedGeneration) {
    Long generation = workload.getMetadata().getGeneration();
    return observedGeneration != null && (generation == null || observedGeneration >= generation);
  }

  private static String name(HasMetadata workload) {
    return workload.getMetadata().getName();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
