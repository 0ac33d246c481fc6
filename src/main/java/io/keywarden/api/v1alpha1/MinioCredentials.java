package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MinioCredentials {
  @Required
  @JsonPropertyDescription(
      "Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: a MinIO user or access key allowed to manage"
          + " access keys (a keywarden-made Secret works).")
  public SecretRef secretRef;
}
