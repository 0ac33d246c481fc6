package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTemplate {
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("Name of the Secret (default: the AccessKey's name). Immutable.")
  public String name;

  @JsonPropertyDescription("Extra labels on the Secret.")
  public Map<String, String> labels;

  @JsonPropertyDescription("Extra annotations on the Secret.")
  public Map<String, String> annotations;

  @ValidationRule(
      value =
          "self.all(k, k in ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',"
              + " 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'OSC_ACCESS_KEY', 'OSC_SECRET_KEY', 'OSC_REGION'])",
      message = "spec.secret.keys may only rename the default keys (AWS_ACCESS_KEY_ID, ...)")
  @Size(max = 9)
  @JsonPropertyDescription(
      "Renames of the default keys, e.g. {AWS_ACCESS_KEY_ID: ACCESS_KEY}.")
  public Map<String, String> keys;
}
