package io.keywarden.backend.aws;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How {@link AwsIamBackend} reaches an IAM or IAM-compatible API.
 *
 * <p>Three shapes are expected:
 *
 * <ul>
 *   <li>AWS: {@code AwsBackendConfig.of("eu-west-1", credentials)}: SDK endpoints for the region,
 *       identity from STS.
 *   <li>One endpoint serving IAM and STS (moto, LocalStack): {@code .withEndpoint(uri)}.
 *   <li>An IAM-compatible API without STS (Outscale EIM, {@code https://eim.<region>.outscale.com}):
 *       {@code .withIamEndpoint(uri).withIdentityApi(IdentityApi.IAM)}: identity and key checks
 *       use IAM {@code GetUser}.
 * </ul>
 *
 * @param region the signing region (and, without endpoints, the region whose endpoints are used)
 * @param iamEndpoint IAM endpoint override, {@code null} for the SDK's endpoint for the region
 * @param stsEndpoint STS endpoint override, {@code null} for the SDK's regional STS endpoint; unused
 *     with {@link IdentityApi#IAM}
 * @param identityApi which call names the caller and proves a new key works
 * @param credentialsProvider the provider credentials: static ones read from a Kubernetes Secret, or
 *     the SDK default chain (IRSA, pod identity). The caller owns it: the backend never closes it.
 */
public record AwsBackendConfig(
    String region,
    URI iamEndpoint,
    URI stsEndpoint,
    IdentityApi identityApi,
    AwsCredentialsProvider credentialsProvider) {

  /** The call that answers "who am I" and proves a freshly created key is accepted. */
  public enum IdentityApi {
    /** STS {@code GetCallerIdentity}: needs no permission at all. */
    STS,
    /**
     * IAM {@code GetUser} without a user name, for IAM-compatible APIs without STS. A new key that
     * gets AccessDenied from it still counts as working: it authenticated.
     */
    IAM
  }

  public AwsBackendConfig {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("region must be set");
    }
    Objects.requireNonNull(credentialsProvider, "credentialsProvider");
    identityApi = identityApi == null ? IdentityApi.STS : identityApi;
    checkEndpoint("iamEndpoint", iamEndpoint);
    checkEndpoint("stsEndpoint", stsEndpoint);
  }

  /** AWS itself: the SDK's endpoints for the region, identity from STS. */
  public static AwsBackendConfig of(String region, AwsCredentialsProvider credentialsProvider) {
    return new AwsBackendConfig(region, null, null, IdentityApi.STS, credentialsProvider);
  }

  /** IAM and STS both at {@code endpoint} (moto, LocalStack). */
  public AwsBackendConfig withEndpoint(URI endpoint) {
    return new AwsBackendConfig(region, endpoint, endpoint, identityApi, credentialsProvider);
  }

  public AwsBackendConfig withIamEndpoint(URI endpoint) {
    return new AwsBackendConfig(region, endpoint, stsEndpoint, identityApi, credentialsProvider);
  }

  public AwsBackendConfig withStsEndpoint(URI endpoint) {
    return new AwsBackendConfig(region, iamEndpoint, endpoint, identityApi, credentialsProvider);
  }

  public AwsBackendConfig withIdentityApi(IdentityApi api) {
    return new AwsBackendConfig(region, iamEndpoint, stsEndpoint, api, credentialsProvider);
  }

  public AwsBackendConfig withCredentials(AwsCredentialsProvider provider) {
    return new AwsBackendConfig(region, iamEndpoint, stsEndpoint, identityApi, provider);
  }

  /** Never prints credentials: only the provider's kind. */
  @Override
  public String toString() {
    return "AwsBackendConfig[region=" + region + ", iamEndpoint=" + iamEndpoint + ", stsEndpoint="
        + stsEndpoint + ", identityApi=" + identityApi + ", credentials="
        + credentialsProvider.getClass().getSimpleName() + "]";
  }

  private static void checkEndpoint(String name, URI endpoint) {
    if (endpoint == null) {
      return;
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException(name + " must not carry user info (credentials come from the provider)");
    }
    String scheme = endpoint.getScheme();
    if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an absolute http(s) URL, got " + endpoint);
    }
  }
}
