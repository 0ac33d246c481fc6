package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** The backend a provider talks to: exactly one backend block. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.aws), has(self.outscale)].filter(b, b).size() == 1",
    message = "exactly one backend (spec.aws or spec.outscale) must be set")
public class ProviderSpec {
  public AwsProvider aws;
  public OutscaleProvider outscale;
}
