package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required public String name;

  @JsonPropertyDescription(
      "Only for cluster providers: the Secret's namespace (default: the operator's namespace).")
  public String namespace;

  public SecretRef() {}

  public SecretRef(String name) {
    this.name = name;
  }
}
