package io.keywarden.secret;

import io.keywarden.backend.SecretValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secret keys of credentials: the provider Secrets keywarden reads and the defaults it
 * publishes a key under, named so that {@code envFrom} works with the AWS SDKs and
 * CLI, MinIO clients and the Outscale tools without any mapping.
 */
public final class CredentialEntries {
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  public static final String REGION = "AWS_REGION";
  /** The region under the name botocore (boto3, the AWS CLI v1) reads; the other SDKs read {@link #REGION}. */
  public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
  public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";

  public static final String OSC_ACCESS_KEY = "OSC_ACCESS_KEY";
  public static final String OSC_SECRET_KEY = "OSC_SECRET_KEY";
  public static final String OSC_REGION = "OSC_REGION";
  /** An Outscale provider Secret's login and password (OAPI's password authentication). */
  public static final String OSC_LOGIN = "OSC_LOGIN";
  public static final String OSC_PASSWORD = "OSC_PASSWORD";

  private CredentialEntries() {}

  /** The AWS names (S3-compatible tools, the AWS CLI against EIM) and the Outscale tools' own. */
  public static Map<String, SecretValue> outscale(String accessKeyId, SecretValue secretKey, String region) {
    Map<String, SecretValue> entries = aws(accessKeyId, secretKey, null, region, null);
    entries.put(OSC_ACCESS_KEY, SecretValue.of(accessKeyId));
    entries.put(OSC_SECRET_KEY, secretKey);
    entries.put(OSC_REGION, SecretValue.of(region));
    return entries;
  }

  /**
   * @param sessionToken only for temporary credentials
   * @param region may be null
   * @param endpoint a non-default service endpoint workloads must use, may be null
   */
  public static Map<String, SecretValue> aws(
      String accessKeyId, SecretValue secretAccessKey, SecretValue sessionToken, String region, String endpoint) {
    Map<String, SecretValue> entries = new LinkedHashMap<>();
    entries.put(ACCESS_KEY_ID, SecretValue.of(accessKeyId));
    entries.put(SECRET_ACCESS_KEY, secretAccessKey);
    if (sessionToken != null) {
      entries.put(SESSION_TOKEN, sessionToken);
    }
    if (region != null) {
      entries.put(REGION, SecretValue.of(region));
      entries.put(DEFAULT_REGION, SecretValue.of(region));
    }
    if (endpoint != null) {
      entries.put(ENDPOINT_URL, SecretValue.of(endpoint));
    }
    return entries;
  }
}
