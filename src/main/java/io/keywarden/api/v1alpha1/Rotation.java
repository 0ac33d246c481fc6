package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.consumers) || self.consumers.all(c, self.consumers.exists_one(d, d.kind == c.kind && d.name == c.name))",
    message = "spec.rotation.consumers: each workload may be named once")
@ValidationRule(
    value = "!has(self.rolloutTimeout) || has(self.consumers) || (has(self.discoverConsumers) && self.discoverConsumers)",
    message = "spec.rotation.rolloutTimeout requires spec.rotation.consumers or spec.rotation.discoverConsumers")
public class Rotation {
  /** Default grace period, applied in code. */
  public static final String DEFAULT_GRACE_PERIOD = "10m";
  /** Default rollout timeout, applied in code. */
  public static final String DEFAULT_ROLLOUT_TIMEOUT = "30m";

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the previous key stays active after the new one is published (#d#h#m#s, default 10m);"
          + " with consumers, after every consumer finished its rollout.")
  public String gracePeriod;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Workloads in this namespace that use the key: their pod template gets the annotation"
          + " rotation.keywarden.io/<AccessKey name>=<revision> when a new key is published, which restarts"
          + " their pods, and the previous key stays active until every one has rolled out.")
  public List<Consumer> consumers;

  @JsonPropertyDescription(
      "Also restart every Deployment, StatefulSet and DaemonSet in this namespace whose pod template"
          + " references the Secret (envFrom, env valueFrom or a volume), found when a new key is published.")
  public Boolean discoverConsumers;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the consumers may take to roll out (#d#h#m#s, default 30m). Then the Rotating condition"
          + " says RolloutStalled and the previous key is kept until its own expiry.")
  public String rolloutTimeout;

  public boolean discovers() {
    return Boolean.TRUE.equals(discoverConsumers);
  }

  public boolean hasConsumers() {
    return discovers() || (consumers != null && !consumers.isEmpty());
  }
}
