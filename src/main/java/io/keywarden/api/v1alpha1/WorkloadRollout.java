package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One consumer's rollout for the published revision, as its controller reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRollout {
  public WorkloadKind kind;
  public String name;
  /** Pods the workload wants. */
  public Integer desired;
  /** Pods on the new pod template. */
  public Integer updated;
  /** Available pods (of any template: old pods count until they are gone). */
  public Integer available;
  /** Every pod runs the new template, is available, and no old pod is left. */
  public Boolean done;

  public WorkloadRollout() {}

  public WorkloadRollout(WorkloadKind kind, String name, Integer desired, Integer updated, Integer available, boolean done) {
    this.kind = kind;
    this.name = name;
    this.desired = desired;
    this.updated = updated;
    this.available = available;
    this.done = done;
  }
}
