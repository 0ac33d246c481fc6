package io.keywarden.provider;

import io.keywarden.api.v1alpha1.AwsProvider;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.OutscaleApi;
import io.keywarden.api.v1alpha1.OutscaleProvider;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.aws.AwsBackendConfig;
import io.keywarden.backend.aws.AwsIamBackend;
import io.keywarden.backend.minio.AdminCallLimit;
import io.keywarden.backend.minio.CaBundle;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioIdentity;
import io.keywarden.backend.minio.MinioWebIdentity;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.backend.outscale.OutscaleBackendConfig;
import io.keywarden.backend.outscale.OutscaleOapiBackend;
import io.keywarden.reconciler.SpecProblem;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The production {@link BackendFactory}: maps a provider's backend block to its client. */
public final class Backends {
  public static final String OSC_ACCESS_KEY = "OSC_ACCESS_KEY";
  public static final String OSC_SECRET_KEY = "OSC_SECRET_KEY";
  public static final String OSC_LOGIN = "OSC_LOGIN";
  public static final String OSC_PASSWORD = "OSC_PASSWORD";
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  private static AdminCallLimit minioAdminCalls;

  private Backends() {}

  public static KeyBackend forProvider(ResolvedProvider provider) {
    if (provider.spec().minio != null) {
      return minio(provider.spec().minio, provider.credentials(), provider.tokens());
    }
    return provider.spec().outscale != null ? outscale(provider.spec().outscale, provider.credentials())
        : aws(provider.spec().aws, provider.credentials());
  }

  /** The MinIO admin API, signed in through OpenID or with the provider Secret's AWS-named keys. */
  private static KeyBackend minio(MinioProvider minio, Map<String, SecretValue> entries, MinioWebIdentity.TokenSource tokens) {
    URI endpoint;
    try {
      endpoint = MinioBackendConfig.checkEndpoint(URI.create(minio.endpoint)); // before an STS client opens
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.minio.endpoint", e.getMessage());
    }
    CaBundle caBundle = minioCaBundle(minio, endpoint);
    MinioIdentity identity = minio.openid != null
        ? MinioWebIdentity.create(
            endpoint, minio.effectiveRegion(), minio.openid.roleArn, caBundle, tokens, Clock.systemUTC())
        : MinioIdentity.stored(entries.get(AWS_ACCESS_KEY_ID).reveal(), entries.get(AWS_SECRET_ACCESS_KEY));
    return MinioKeyBackend.create(MinioBackendConfig.of(endpoint, identity)
        .withRegion(minio.effectiveRegion())
        .withAdminCalls(minioAdminCallLimit())
        .withCaBundle(caBundle));
  }

  /**
   * The provider's CAs, or null; checked before any client is opened. Admission already refuses a
   * caBundle with an http endpoint; this check also covers CRDs installed without that rule.
   */
  private static CaBundle minioCaBundle(MinioProvider minio, URI endpoint) {
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

  /** One limit for every MinIO backend of the process: the heap is the process's, not a provider's. */
  private static synchronized AdminCallLimit minioAdminCallLimit() {
    if (minioAdminCalls == null) {
      minioAdminCalls = new AdminCallLimit(minioAdminCalls(System.getenv(), Runtime.getRuntime().maxMemory()));
    }
    return minioAdminCalls;
  }

  /**
   * How many MinIO admin calls may run at once: KEYWARDEN_MINIO_ADMIN_CALLS, else (unset, empty or
   * 0, the chart's default) what the heap holds. Each call derives an Argon2id key over 64 MiB (about 70 MB of small Java objects), and
   * the collector needs about as much free again to move them, so a call is given 160 MiB beyond
   * 100 MiB for the rest of the operator. make bench found two calls at once on a 358 MiB heap (a
   * 512 MiB container) slower than one: a quarter of the burst went to GC pauses and full
   * collections.
   */
  public static int minioAdminCalls(Map<String, String> env, long maxHeapBytes) {
    String configured = env.getOrDefault("KEYWARDEN_MINIO_ADMIN_CALLS", "").trim();
    if (!configured.isEmpty() && !configured.equals("0")) {
      try {
        int calls = Integer.parseInt(configured);
        if (calls > 0) {
          return calls;
        }
      } catch (NumberFormatException e) {
        // reported below with what is allowed
      }
      throw new IllegalArgumentException("KEYWARDEN_MINIO_ADMIN_CALLS must be a positive number, or 0 or empty"
          + " for what the heap holds; got '" + configured + "'");
    }
    long base = 100L * 1024 * 1024;
    long perCall = 160L * 1024 * 1024;
    return (int) Math.max(1, Math.min(MinioBackendConfig.DEFAULT_MAX_CONCURRENT_ADMIN_CALLS, (maxHeapBytes - base) / perCall));
  }

  /**
   * OAPI through keywarden's typed client; EIM through the IAM code path (the same class AWS
   * uses) on the EIM endpoint, which has no STS: identity and key checks use IAM GetUser.
   */
  private static KeyBackend outscale(OutscaleProvider outscale, Map<String, SecretValue> entries) {
    if (outscale.effectiveApi() == OutscaleApi.eim) {
      URI endpoint = URI.create(outscale.endpoint != null ? outscale.endpoint
          : "https://eim." + outscale.region + ".outscale.com");
      AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
          entries.get(OSC_ACCESS_KEY).reveal(), entries.get(OSC_SECRET_KEY).reveal()));
      return AwsIamBackend.create(AwsBackendConfig.of(outscale.region, credentials)
          .withIamEndpoint(endpoint).withIdentityApi(AwsBackendConfig.IdentityApi.IAM));
    }
    OutscaleBackendConfig.Credentials credentials = entries.containsKey(OSC_LOGIN)
        ? new OutscaleBackendConfig.LoginPassword(entries.get(OSC_LOGIN).reveal(), entries.get(OSC_PASSWORD))
        : new OutscaleBackendConfig.AccessKey(entries.get(OSC_ACCESS_KEY).reveal(), entries.get(OSC_SECRET_KEY));
    OutscaleBackendConfig config = OutscaleBackendConfig.of(outscale.region, credentials);
    if (outscale.endpoint != null) {
      config = config.withEndpoint(URI.create(outscale.endpoint));
    }
    return OutscaleOapiBackend.create(config);
  }

  private static KeyBackend aws(AwsProvider aws, Map<String, SecretValue> entries) {
    AwsBackendConfig config = AwsBackendConfig.of(aws.region, credentials(entries));
    if (aws.endpoint != null) {
      config = config.withEndpoint(URI.create(aws.endpoint));
    }
    if (aws.stsEndpoint != null) {
      config = config.withStsEndpoint(URI.create(aws.stsEndpoint));
    }
    return AwsIamBackend.create(config);
  }

  private static AwsCredentialsProvider credentials(Map<String, SecretValue> entries) {
    if (entries == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String id = entries.get("AWS_ACCESS_KEY_ID").reveal();
    String secret = entries.get("AWS_SECRET_ACCESS_KEY").reveal();
    SecretValue token = entries.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(token == null
        ? AwsBasicCredentials.create(id, secret)
        : AwsSessionCredentials.create(id, secret, token.reveal()));
  }
}
