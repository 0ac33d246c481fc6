package io.keywarden.backend.minio;

import io.keywarden.backend.SecretValue;
import java.net.URI;
import java.util.Objects;

/**
 * How {@link MinioKeyBackend} reaches a MinIO or AIStor deployment.
 *
 * @param endpoint the S3 endpoint, {@code http(s)://host[:port]}, without a path
 * @param identity who keywarden is: stored credentials (a user's, the root user's or an access
 *     key's) or an OpenID sign-in
 * @param region the SigV4 signing region; MinIO's default is {@value #DEFAULT_REGION}
 * @param adminCalls how many admin calls may run at once, possibly shared with other backends.
 *     Every encrypted admin request and response costs an Argon2id key derivation in a 64 MiB
 *     buffer that each call at once keeps, so this bounds the heap those calls need (4 calls:
 *     256 MiB).
 * @param caBundle the only CAs trusted for an https endpoint, or null for the JVM's default CAs
 */
public record MinioBackendConfig(
    URI endpoint, MinioIdentity identity, String region, AdminCallLimit adminCalls, CaBundle caBundle) {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final int DEFAULT_MAX_CONCURRENT_ADMIN_CALLS = 4;

  public MinioBackendConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(identity, "identity");
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    Objects.requireNonNull(adminCalls, "adminCalls");
    checkEndpoint(endpoint);
    if (caBundle != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      // a CA over plain http would suggest a protection that does not exist
      throw new IllegalArgumentException("caBundle needs an https endpoint, got " + endpoint);
    }
  }

  /**
   * Refuses an endpoint MinIO cannot serve: not absolute http(s), with user info, a path or a
   * query. Callers check it before building anything that connects.
   */
  public static URI checkEndpoint(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be an absolute http(s) URL, got " + endpoint);
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("endpoint must not carry user info (credentials come from the provider)");
    }
    String path = endpoint.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || endpoint.getRawQuery() != null) {
      throw new IllegalArgumentException("endpoint must have no path or query (MinIO serves its APIs at the root), got " + endpoint);
    }
    return endpoint;
  }

  public static MinioBackendConfig of(URI endpoint, String accessKey, SecretValue secretKey) {
    return of(endpoint, MinioIdentity.stored(accessKey, secretKey));
  }

  public static MinioBackendConfig of(URI endpoint, MinioIdentity identity) {
    return new MinioBackendConfig(
        endpoint, identity, DEFAULT_REGION, new AdminCallLimit(DEFAULT_MAX_CONCURRENT_ADMIN_CALLS), null);
  }

  public MinioBackendConfig withRegion(String newRegion) {
    return new MinioBackendConfig(endpoint, identity, newRegion, adminCalls, caBundle);
  }

  /** Trusts only these CAs (null: the JVM's defaults again). */
  public MinioBackendConfig withCaBundle(CaBundle bundle) {
    return new MinioBackendConfig(endpoint, identity, region, adminCalls, bundle);
  }

  /** A limit of this backend's own. */
  public MinioBackendConfig withMaxConcurrentAdminCalls(int max) {
    return withAdminCalls(new AdminCallLimit(max));
  }

  /** A limit shared with other backends. */
  public MinioBackendConfig withAdminCalls(AdminCallLimit limit) {
    return new MinioBackendConfig(endpoint, identity, region, limit, caBundle);
  }

  public int maxConcurrentAdminCalls() {
    return adminCalls.permits();
  }

  /** Never prints a secret key (nor does {@link MinioIdentity#toString()}). */
  @Override
  public String toString() {
    return "MinioBackendConfig[endpoint=" + endpoint + ", identity=" + identity + ", region=" + region
        + ", adminCalls=" + adminCalls + (caBundle == null ? "" : ", caBundle=" + caBundle) + "]";
  }
}
