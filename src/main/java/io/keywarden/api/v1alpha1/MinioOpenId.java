package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * MinIO's OpenID identity instead of stored credentials: keywarden signs in as a Kubernetes
 * ServiceAccount (a TokenRequest token) through MinIO's STS AssumeRoleWithWebIdentity, as
 * {@code mc idp openid accesskey create-with-login} signs in through a browser.
 *
 * <p>There is no {@code configName}: mc's CONFIG argument chooses which configuration's login page
 * opens, while STS chooses the configuration by the token's audience (its client_id) and, for a
 * configuration with a role policy, by {@link #roleArn}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MinioOpenId {
  @Pattern("^arn:minio:iam:[^:]*:[^:]*:role/.+")
  @JsonPropertyDescription(
      "Role ARN of a MinIO OpenID configuration with a role policy (MinIO logs it at start; mc admin idp openid"
          + " info shows it). Omit to use MinIO's claim-based OpenID configuration.")
  public String roleArn;

  @Required
  @JsonPropertyDescription("The ServiceAccount whose token keywarden exchanges at MinIO's STS.")
  public ServiceAccountToken serviceAccountToken;
}
