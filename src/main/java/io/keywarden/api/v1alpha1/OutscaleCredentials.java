package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.secretRef) || has(self.loginSecretRef)",
    message = "spec.outscale.credentials: set secretRef or loginSecretRef")
public class OutscaleCredentials {
  @JsonPropertyDescription("Secret with OSC_ACCESS_KEY and OSC_SECRET_KEY (access/secret key signing).")
  public SecretRef secretRef;

  @JsonPropertyDescription(
      "Secret with OSC_LOGIN and OSC_PASSWORD (--authentication-method password). Repeated failures lock"
          + " the login for a while or for good: keywarden never retries them fast.")
  public SecretRef loginSecretRef;
}
