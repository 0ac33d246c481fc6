package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A MinIO / AIStor deployment whose admin API manages access keys (mc admin accesskey). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.credentials) != has(self.openid)",
    message = "spec.minio: set exactly one of credentials and openid")
@ValidationRule(
    value = "!has(self.caBundle) || self.endpoint.startsWith('https://')",
    message = "spec.minio.caBundle needs an https:// endpoint")
public class MinioProvider {
  /** The region used when the spec names none (MinIO's own default). */
  public static final String DEFAULT_REGION = "us-east-1";

  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("MinIO endpoint, e.g. https://minio.example.com:9000; fills AWS_ENDPOINT_URL in the Secrets.")
  public String endpoint;

  @JsonPropertyDescription(
      "PEM-encoded CA certificate(s) for an https endpoint with a private CA. When set, these are the ONLY CAs"
          + " keywarden trusts for this MinIO (admin API and OpenID STS), not added to the JVM's defaults, as for"
          + " Kubernetes caBundle fields. Not copied into the Secrets: workloads must trust the CA themselves"
          + " (e.g. AWS_CA_BUNDLE pointing at a mounted file).")
  public String caBundle;

  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("Region that signs requests and fills AWS_REGION and AWS_DEFAULT_REGION in the Secrets (default us-east-1).")
  public String region;

  @JsonPropertyDescription("Stored credentials keywarden signs with (mc admin accesskey create). Exclusive with openid.")
  public MinioCredentials credentials;

  @JsonPropertyDescription(
      "Sign in through MinIO's OpenID STS as a Kubernetes ServiceAccount (mc idp openid accesskey create-with-login)."
          + " Keys are created with those temporary credentials, so they never exceed the OpenID identity's rights."
          + " Exclusive with credentials.")
  public MinioOpenId openid;

  public String effectiveRegion() {
    return region == null ? DEFAULT_REGION : region;
  }
}
