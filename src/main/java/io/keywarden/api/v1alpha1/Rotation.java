package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rotation {
  /** Default grace period, applied in code. */
  public static final String DEFAULT_GRACE_PERIOD = "10m";

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the previous key stays active after the new one is published (#d#h#m#s, default 10m).")
  public String gracePeriod;
}
