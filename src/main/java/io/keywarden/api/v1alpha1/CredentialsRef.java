package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsRef {
  @Required
  @JsonPropertyDescription("Secret with the keys accessKey and secretKey.")
  public SecretRef secretRef;
}
