package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderStatus {
  /** The identity the credentials authenticate as (an ARN on AWS). */
  public String identity;
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
}
