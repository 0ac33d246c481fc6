package io.keywarden.rollout;

import io.keywarden.api.v1alpha1.WorkloadKind;

/** A Deployment, StatefulSet or DaemonSet in one namespace. */
public record WorkloadRef(String namespace, WorkloadKind kind, String name) {
  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
