package io.keywarden.api.v1alpha1;

/** The workload kinds whose pod template keywarden restarts when a new key is published. */
public enum WorkloadKind {
  Deployment,
  StatefulSet,
  DaemonSet
}
