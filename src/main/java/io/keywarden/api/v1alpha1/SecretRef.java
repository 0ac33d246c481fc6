package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required public String name;

  @JsonPropertyDescription(
      "The Secret's namespace. A ClusterAccessKeyProvider may name any (default: the operator's namespace);"
          + " an AccessKeyProvider and an AccessKey's credentialsRef read their own namespace only and are"
          + " Ready=False with reason InvalidSpec when another is named.")
  public String namespace;

  public SecretRef() {}

  public SecretRef(String name) {
    this.name = name;
  }
}
