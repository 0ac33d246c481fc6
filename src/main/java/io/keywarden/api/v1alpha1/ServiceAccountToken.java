package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A token of a Kubernetes ServiceAccount, requested through the TokenRequest API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceAccountToken {
  /** The TokenRequest API's minimum. */
  public static final long DEFAULT_EXPIRATION_SECONDS = 600;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "The ServiceAccount, in the provider's own namespace (cluster providers: the operator's namespace or"
          + " spec.minio.openid.serviceAccountToken.namespace).")
  public String serviceAccountName;

  @JsonPropertyDescription("Only for cluster providers: the ServiceAccount's namespace (default: the operator's namespace).")
  public String namespace;

  @Required
  @Pattern("^\\S+$")
  @JsonPropertyDescription("The token's audience: the client_id of MinIO's OpenID configuration.")
  public String audience;

  @Min(600)
  @Max(86400)
  @JsonPropertyDescription("How long each token is valid (600 to 86400, default 600); it is only used for one STS exchange.")
  public Long expirationSeconds;

  public long effectiveExpirationSeconds() {
    return expirationSeconds == null ? DEFAULT_EXPIRATION_SECONDS : expirationSeconds;
  }
}
