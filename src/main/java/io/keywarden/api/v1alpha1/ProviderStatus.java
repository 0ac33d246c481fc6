package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderStatus {
  /** The identity the credentials authenticate as (an ARN on AWS). */
  @JsonPropertyDescription("Who the credentials authenticate as (an ARN on AWS).")
  public String identity;
  @JsonPropertyDescription("The metadata.generation the conditions describe.")
  public Long observedGeneration;
  @JsonPropertyDescription("Ready: the credentials authenticate (checked by a call that changes nothing).")
  public List<Condition> conditions = new ArrayList<>();
}
