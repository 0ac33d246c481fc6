package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** The backend a provider talks to: exactly one backend block. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.aws), has(self.outscale), has(self.minio)].filter(b, b).size() == 1",
    message = "exactly one backend (spec.aws, spec.outscale or spec.minio) must be set")
public class ProviderSpec {
  public AwsProvider aws;
  public OutscaleProvider outscale;
  public MinioProvider minio;
}
