package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** The backend a provider talks to: exactly one backend block. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.aws), has(self.outscale), has(self.minio)].filter(b, b).size() == 1",
    message = ProviderSpec.ONE_BACKEND)
public class ProviderSpec {
  public static final String ONE_BACKEND = "exactly one backend (spec.aws, spec.outscale or spec.minio) must be set";

  public AwsProvider aws;
  public OutscaleProvider outscale;
  public MinioProvider minio;

  /** How many backend blocks are set; admission allows exactly one (CRDs installed without CEL may not). */
  public int backendBlocks() {
    return (aws != null ? 1 : 0) + (outscale != null ? 1 : 0) + (minio != null ? 1 : 0);
  }
}
