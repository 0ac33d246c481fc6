package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A MinIO / AIStor deployment whose admin API manages access keys (mc admin accesskey). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MinioProvider {
  /** The region used when the spec names none (MinIO's own default). */
  public static final String DEFAULT_REGION = "us-east-1";

  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("MinIO endpoint, e.g. https://minio.example.com:9000; fills AWS_ENDPOINT_URL in the Secrets.")
  public String endpoint;

  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("Region that signs requests and fills AWS_REGION in the Secrets (default us-east-1).")
  public String region;

  @Required
  @JsonPropertyDescription("The admin credentials keywarden uses.")
  public MinioCredentials credentials;

  public String effectiveRegion() {
    return region == null ? DEFAULT_REGION : region;
  }
}
