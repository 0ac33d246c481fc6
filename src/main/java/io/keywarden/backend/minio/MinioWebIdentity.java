package io.keywarden.backend.minio;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * keywarden signed in at MinIO through OpenID: a ServiceAccount token exchanged at MinIO's STS
 * (AssumeRoleWithWebIdentity) for temporary credentials, which are renewed once two thirds of their
 * lifetime has passed. What keys those credentials create can never exceed what the OpenID identity
 * may do. The same exchange issues the temporary credentials of {@code spec.temporary} AccessKeys.
 */
public final class MinioWebIdentity implements MinioIdentity, AutoCloseable {

  /** MinIO's limits for DurationSeconds. */
  public static final Duration MIN_DURATION = Duration.ofMinutes(15);
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  /** Temporary credentials and their lifetime as MinIO granted it. */
  public record TemporaryCredentials(MinioSigningKey key, Instant issuedAt, Instant expiresAt) {
    /** When the provider's own session is renewed: after two thirds of its lifetime. */
    Instant renewAt() {
      return issuedAt.plus(Duration.between(issuedAt, expiresAt).multipliedBy(2).dividedBy(3));
    }
  }

  private final URI endpoint;
  private final String roleArn;
  private final TokenSource tokens;
  private final Clock clock;
  private final SdkHttpClient http;
  private final StsClient sts;
  private TemporaryCredentials session;

  private MinioWebIdentity(
      URI endpoint, String region, String roleArn, CaBundle caBundle, TokenSource tokens, Clock clock) {
    this.endpoint = endpoint;
    this.roleArn = roleArn;
    this.tokens = tokens;
    this.clock = clock;
    // our own HTTP client, so that STS trusts exactly what the admin API trusts (the SDK does not close it)
    Apache5HttpClient.Builder http = Apache5HttpClient.builder().connectionTimeout(MinioAdminApi.CONNECT_TIMEOUT);
    if (caBundle != null) {
      http.tlsTrustManagersProvider(caBundle::trustManagers);
    }
    this.http = http.build();
    this.sts = StsClient.builder()
        .httpClient(this.http)
        .endpointOverride(endpoint)
        .region(Region.of(region == null ? MinioBackendConfig.DEFAULT_REGION : region))
        // the web identity token is the credential: the request itself is not signed
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
            .apiCallTimeout(MinioAdminApi.CALL_TIMEOUT))
        .build();
  }

  /** @param caBundle the only CAs trusted for an https endpoint, or null for the JVM's defaults */
  public static MinioWebIdentity create(
      URI endpoint, String region, String roleArn, CaBundle caBundle, TokenSource tokens, Clock clock) {
    return new MinioWebIdentity(endpoint, region, roleArn, caBundle, tokens, clock);
  }

  @Override
  public synchronized MinioSigningKey signingKey() {
    if (session == null || !clock.instant().isBefore(session.renewAt())) {
      session = assume(null, null);
    }
    return session.key();
  }

  /**
   * One exchange: a new token, new temporary credentials.
   *
   * @param duration their lifetime, {@link #MIN_DURATION} to {@link #MAX_DURATION}; null for
   *     MinIO's default (MINIO_STS_DURATION, one hour)
   * @param policy a session policy that restricts them further, or null
   */
  public TemporaryCredentials assume(Duration duration, String policy) {
    if (duration != null && (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0)) {
      throw new BackendException(Reason.INVALID_REQUEST,
          operation() + " not sent: the duration must be between 15m and 365d, got " + duration);
    }
    AssumeRoleWithWebIdentityRequest.Builder request = AssumeRoleWithWebIdentityRequest.builder()
        .webIdentityToken(tokens.token().reveal())
        .roleSessionName("keywarden");
    if (roleArn != null) {
      request.roleArn(roleArn);
    }
    if (duration != null) {
      request.durationSeconds((int) duration.toSeconds());
    }
    if (policy != null) {
      request.policy(policy);
    }
    Instant issuedAt = clock.instant();
    Credentials credentials;
    try {
      credentials = sts.assumeRoleWithWebIdentity(request.build()).credentials();
    } catch (StsException e) {
      // MinIO's message explains a refused token (audience, expiry, signature); it never echoes the token
      String detail = e.awsErrorDetails() == null ? e.statusCode() + ""
          : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
      Reason reason = e.statusCode() == 400 ? Reason.AUTHENTICATION : Reason.forHttpStatus(e.statusCode());
      throw new BackendException(reason, operation() + " refused the ServiceAccount token (" + detail + ")");
    } catch (SdkClientException e) {
      if (MinioErrors.tlsFailure(e)) {
        throw new BackendException(Reason.UNAVAILABLE, MinioErrors.tlsMessage(operation(), e.getMessage()));
      }
      throw new BackendException(Reason.UNAVAILABLE, operation() + " failed: " + e.getMessage());
    }
    if (credentials == null || credentials.expiration() == null) {
      throw new BackendException(Reason.UNAVAILABLE, operation() + " answered without credentials");
    }
    MinioSigningKey key = new MinioSigningKey(credentials.accessKeyId(),
        SecretValue.of(credentials.secretAccessKey()), SecretValue.of(credentials.sessionToken()));
    return new TemporaryCredentials(key, issuedAt, credentials.expiration());
  }

  private String operation() {
    return "STS AssumeRoleWithWebIdentity at " + endpoint + (roleArn == null ? "" : " for role " + roleArn);
  }

  @Override
  public void close() {
    sts.close();
    http.close();
  }

  @Override
  public String toString() {
    return "OpenID sign-in at " + endpoint + (roleArn == null ? "" : " as role " + roleArn);
  }
}
