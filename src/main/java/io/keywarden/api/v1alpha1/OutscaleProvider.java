package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.credentials) || !(has(self.credentials.secretRef) && has(self.credentials.loginSecretRef))",
    message = "spec.outscale.credentials: secretRef and loginSecretRef are mutually exclusive")
@ValidationRule(
    value = "!has(self.api) || self.api != 'eim' || !has(self.credentials) || !has(self.credentials.loginSecretRef)",
    message = "spec.outscale.credentials.loginSecretRef: the EIM (IAM) API takes access keys only")
public class OutscaleProvider {
  @Required
  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("Outscale Region, e.g. eu-west-2; fills OSC_REGION, AWS_REGION and AWS_DEFAULT_REGION in the Secrets.")
  public String region;

  @Pattern("^https?://.+")
  @JsonPropertyDescription(
      "Endpoint override (default https://api.<region>.outscale.com/api/v1, or https://eim.<region>.outscale.com for api: eim).")
  public String endpoint;

  @JsonPropertyDescription("oapi (default): the OAPI access-key calls; eim: the IAM-compatible EIM API.")
  public OutscaleApi api;

  @Required
  public OutscaleCredentials credentials;

  public OutscaleApi effectiveApi() {
    return api == null ? OutscaleApi.oapi : api;
  }
}
