package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsProvider {
  @Required
  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("AWS region, e.g. us-east-1 (IAM is global; the region signs requests and fills AWS_REGION and AWS_DEFAULT_REGION).")
  public String region;

  @Pattern("^https?://.+")
  @JsonPropertyDescription("IAM endpoint override (e.g. a test server).")
  public String endpoint;

  @Pattern("^https?://.+")
  @JsonPropertyDescription("STS endpoint override (default: the regional STS endpoint, or endpoint when set).")
  public String stsEndpoint;

  @JsonPropertyDescription(
      "Where the provider's own credentials come from. Without secretRef: the SDK default chain"
          + " (IRSA, EKS pod identity, instance profile).")
  public ProviderCredentials credentials;
}
