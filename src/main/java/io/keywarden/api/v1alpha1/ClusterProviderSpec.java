package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterProviderSpec extends ProviderSpec {
  @JsonPropertyDescription(
      "Namespaces whose AccessKeys may use this provider. Absent: every namespace; {} also matches all.")
  public LabelSelector allowedNamespaces;
}
