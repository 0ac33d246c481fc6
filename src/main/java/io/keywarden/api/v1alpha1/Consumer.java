package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A workload in the AccessKey's namespace that uses the key and is restarted when it changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Consumer {
  @Required
  @JsonPropertyDescription("Deployment, StatefulSet or DaemonSet.")
  public WorkloadKind kind;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The workload's name, in the AccessKey's namespace.")
  public String name;

  public Consumer() {}

  public Consumer(WorkloadKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }
}
