package io.keywarden.backend.minio;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.AccessKeyFields;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.CredentialSource;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import io.keywarden.expiry.ExpiryParser;
import io.keywarden.secret.CredentialEntries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.minio}: the MinIO admin API, signed in through OpenID or with the provider Secret's
 * AWS-named keys.
 */
public final class MinioKind implements BackendKind {

  @Override
  public String block() {
    return "spec.minio";
  }

  @Override
  public boolean claims(ProviderSpec spec) {
    return spec.minio != null;
  }

  @Override
  public CredentialSource credentials(ProviderSpec spec) {
    MinioProvider minio = spec.minio;
    if (minio.openid != null) {
      if (minio.credentials != null) {
        throw SpecProblem.invalid("spec.minio", "set exactly one of credentials and openid");
      }
      return new CredentialSource.ServiceAccount("spec.minio.openid.serviceAccountToken", minio.openid.serviceAccountToken);
    }
    if (minio.credentials == null || minio.credentials.secretRef == null) {
      throw SpecProblem.invalid("spec.minio.credentials.secretRef", "required");
    }
    return new CredentialSource.SecretKeys("spec.minio.credentials.secretRef", minio.credentials.secretRef,
        List.of(CredentialEntries.ACCESS_KEY_ID, CredentialEntries.SECRET_ACCESS_KEY));
  }

  /**
   * MinIO access keys take a name, a description, a policy and custom credentials; temporary
   * credentials need a provider signed in through OpenID and a lifetime within MinIO's STS limits.
   */
  @Override
  public void checkAccessKey(ProviderSpec provider, AccessKeySpec spec) {
    if (spec.isTemporary()) {
      AccessKeyFields.refuse(provider.minio.openid == null, "spec.temporary",
          "temporary STS credentials need a MinIO provider that signs in through OpenID (spec.minio.openid)");
      Duration lifetime = spec.expiryDuration == null ? null : ExpiryParser.parseDuration(spec.expiryDuration);
      if (lifetime != null && (lifetime.compareTo(MinioWebIdentity.MIN_DURATION) < 0
          || lifetime.compareTo(MinioWebIdentity.MAX_DURATION) > 0)) {
        throw SpecProblem.invalid("spec.expiryDuration", "temporary STS credentials last 15m to 365d (MinIO's limits), got "
            + spec.expiryDuration);
      }
    }
    MinioKeys.validateName(spec.name).ifPresent(problem -> {
      throw SpecProblem.invalid("spec.name", problem);
    });
    MinioKeys.validateDescription(spec.description).ifPresent(problem -> {
      throw SpecProblem.invalid("spec.description", problem);
    });
    if (spec.credentialsRef != null && spec.expiryDuration != null) {
      throw SpecProblem.invalid("spec.expiryDuration",
          "custom credentials (spec.credentialsRef) cannot be renewed automatically; use spec.expiry");
    }
    if (spec.user != null && (spec.user.isBlank() || spec.user.contains(",") || spec.user.contains("="))) {
      throw SpecProblem.invalid("spec.user", "not a MinIO user name");
    }
  }

  @Override
  public KeyBackend connect(ProviderSpec spec, Map<String, SecretValue> credentials, TokenSource tokens) {
    MinioProvider minio = spec.minio;
    URI endpoint;
    try {
      endpoint = MinioBackendConfig.checkEndpoint(URI.create(minio.endpoint)); // before an STS client opens
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.minio.endpoint", e.getMessage());
    }
    CaBundle caBundle = caBundle(minio, endpoint);
    MinioIdentity identity = minio.openid != null
        ? MinioWebIdentity.create(endpoint, minio.effectiveRegion(), minio.openid.roleArn, caBundle, tokens, Clock.systemUTC())
        : MinioIdentity.stored(credentials.get(CredentialEntries.ACCESS_KEY_ID).reveal(),
            credentials.get(CredentialEntries.SECRET_ACCESS_KEY));
    return MinioKeyBackend.create(MinioBackendConfig.of(endpoint, identity)
        .withRegion(minio.effectiveRegion())
        .withAdminCalls(AdminCallLimit.shared())
        .withCaBundle(caBundle));
  }

  @Override
  public Map<String, SecretValue> secretEntries(
      ProviderSpec spec, String accessKeyId, SecretValue secretKey, SecretValue sessionToken) {
    return CredentialEntries.aws(accessKeyId, secretKey, sessionToken, spec.minio.effectiveRegion(), spec.minio.endpoint);
  }

  /**
   * The provider's CAs, or null; checked before any client is opened. Admission already refuses a
   * caBundle with an http endpoint; this check also covers CRDs installed without that rule.
   */
  private static CaBundle caBundle(MinioProvider minio, URI endpoint) {
    if (minio.caBundle == null) {
      return null;
    }
    if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw SpecProblem.invalid("spec.minio.caBundle", "needs an https endpoint, got " + endpoint);
    }
    try {
      return CaBundle.parse(minio.caBundle);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.minio.caBundle", e.getMessage());
    }
  }
}
