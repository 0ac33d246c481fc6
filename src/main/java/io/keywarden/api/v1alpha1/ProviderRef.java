package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Which provider issues the key. Immutable once set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderRef {
  @Required
  @JsonPropertyDescription("Name of the AccessKeyProvider (same namespace) or ClusterAccessKeyProvider.")
  public String name;

  @JsonPropertyDescription("AccessKeyProvider (default) or ClusterAccessKeyProvider.")
  public ProviderKind kind;

  public ProviderRef() {}

  public ProviderRef(String name, ProviderKind kind) {
    this.name = name;
    this.kind = kind;
  }

  /** The kind, defaulted in code so a GitOps tool never sees a field it did not write. */
  public ProviderKind effectiveKind() {
    return kind == null ? ProviderKind.AccessKeyProvider : kind;
  }
}
