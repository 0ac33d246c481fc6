package io.keywarden.backend.minio;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.minio.MinioErrors.ErrorAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * MinIO's admin API ({@code /minio/admin/v3/…}) and one S3 call, over the JDK HTTP client.
 *
 * <p>Requests are signed with SigV4 for service {@code s3} (the AWS SDK's signer, already on the
 * class path), as MinIO expects. Admin request and answer bodies that carry credentials are
 * encrypted with the provider's secret key in MinIO's format (Argon2id key derivation, AES-GCM):
 * {@link MadminCrypto}.
 *
 * <p><b>Why not minio-admin's {@code MinioAdminClient}.</b> The high-level client of minio-admin
 * 8.6.0 throws a bare RuntimeException without the HTTP status, cannot leave an access key's status
 * unchanged on update, drops the policy from its service-account info, has no account-info call,
 * and needs Guava, OkHttp and Kotlin at run time; its {@code Crypto} allocates 64 MiB of small
 * objects for every key it derives.
 *
 * <p><b>Memory.</b> Each Argon2id derivation works over 64 MiB. A permit of the {@link
 * AdminCallLimit} (shared by the operator's MinIO backends) is held for each whole admin call
 * (encrypt, send, decrypt), and with it one of the limit's reused 64 MiB buffers, so that many
 * calls run at once at most and the heap they need stays bounded. The S3 call of {@link
 * #s3ListBuckets} encrypts nothing and is not counted.
 */
final class MinioAdminApi {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /** MinIO's answers are small; a larger one is not MinIO talking. */
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
  private static final String ADMIN_PREFIX = "/minio/admin/v3/";

  private final MinioBackendConfig config;
  private final HttpClient http;
  private final AdminCallLimit adminCalls;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  MinioAdminApi(MinioBackendConfig config) {
    this.config = config;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (config.caBundle() != null) {
      http.sslContext(config.caBundle().sslContext());
    }
    this.http = http.build();
    this.adminCalls = config.adminCalls();
  }

  /** An admin call whose answer is plain JSON ({@code accountinfo}). */
  byte[] plain(String operation, String method, String command, Map<String, String> query) {
    return admin(operation, method, command, query, null, false);
  }

  /**
   * A plain admin GET signed with other credentials than the provider's (a key asking about
   * itself). Nothing is encrypted, so no {@link AdminCallLimit} permit is taken.
   */
  byte[] plainAs(String operation, String command, MinioSigningKey key) {
    return send(operation, "GET", ADMIN_PREFIX + command, Map.of(), new byte[0], key);
  }

  /**
   * An admin call with an encrypted request body (when {@code body} is not null) and, when {@code
   * encryptedAnswer}, an encrypted answer, which is returned decrypted.
   */
  byte[] admin(
      String operation, String method, String command, Map<String, String> query, byte[] body, boolean encryptedAnswer) {
    MinioSigningKey caller = config.identity().signingKey();
    try (AdminCallLimit.Call call = acquire(operation)) {
      byte[] payload = body == null ? new byte[0] : encrypt(operation, body, caller, call);
      byte[] answer = send(operation, method, ADMIN_PREFIX + command, query, payload, caller);
      return encryptedAnswer ? decrypt(operation, answer, caller, call) : answer;
    }
  }

  private static byte[] encrypt(String operation, byte[] body, MinioSigningKey caller, AdminCallLimit.Call call) {
    try {
      return MadminCrypto.encrypt(body, caller.secretKey().reveal(), call.argon2Memory());
    } catch (GeneralSecurityException e) {
      // the JDK lacks AES-GCM: not MinIO's fault, but nothing can be sent
      throw new IllegalStateException(operation + " not sent: the request body could not be encrypted", e);
    }
  }

  private static byte[] decrypt(String operation, byte[] answer, MinioSigningKey caller, AdminCallLimit.Call call) {
    try {
      return MadminCrypto.decrypt(answer, caller.secretKey().reveal(), call.argon2Memory());
    } catch (GeneralSecurityException e) {
      // An answer that does not decrypt was not encrypted with our secret key; no secret in the message.
      throw new BackendException(
          Reason.UNAVAILABLE,
          operation + " failed: MinIO's encrypted answer could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * S3 ListBuckets signed with the given credentials: null when MinIO accepted it, else its error.
   * Connection failures throw {@link BackendException} ({@link Reason#UNAVAILABLE}).
   */
  ErrorAnswer s3ListBuckets(String operation, MinioSigningKey key) {
    try {
      send(operation, "GET", "/", Map.of(), new byte[0], key);
      return null;
    } catch (Refused refused) {
      return refused.answer;
    }
  }

  /** Sends one signed request; returns the answer body of a 2xx, throws {@link Refused} otherwise. */
  private byte[] send(
      String operation, String method, String path, Map<String, String> query, byte[] payload, MinioSigningKey key) {
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .uri(config.endpoint())
            .encodedPath(path)
            .method(SdkHttpMethod.fromValue(method))
            // MinIO takes the payload hash from this header; without it, it assumes an empty body.
            .putHeader("x-amz-content-sha256", sha256Hex(payload));
    query.forEach(unsigned::putRawQueryParameter);
    SignedRequest signed =
        signer.sign(
            r -> r.identity(signingIdentity(key))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, config.region())
                // S3 rules: paths are signed as sent, not normalized or encoded twice
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
    SdkHttpRequest request = signed.request();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.getUri())
            .timeout(CALL_TIMEOUT)
            .method(method, payload.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload));
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")) { // the JDK client sets Host itself, as signed
        header.getValue().forEach(v -> builder.header(header.getKey(), v));
      }
    }
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_ANSWER_BYTES + 1);
      }
    } catch (IOException e) {
      throw MinioErrors.unreachable(operation, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(Reason.UNAVAILABLE, operation + " interrupted", e);
    }
    if (body.length > MAX_ANSWER_BYTES) {
      throw new BackendException(
          Reason.UNAVAILABLE, operation + " failed: the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new Refused(operation, ErrorAnswer.parse(status, new String(body, StandardCharsets.UTF_8)));
    }
    return body;
  }

  /** With a session token the signer adds and signs X-Amz-Security-Token, as MinIO expects for STS credentials. */
  private static AwsCredentialsIdentity signingIdentity(MinioSigningKey key) {
    return key.sessionToken() == null
        ? AwsCredentialsIdentity.create(key.accessKey(), key.secretKey().reveal())
        : AwsSessionCredentialsIdentity.create(key.accessKey(), key.secretKey().reveal(), key.sessionToken().reveal());
  }

  private AdminCallLimit.Call acquire(String operation) {
    try {
      AdminCallLimit.Call call = adminCalls.tryAcquire(CALL_TIMEOUT);
      if (call == null) {
        throw new BackendException(
            Reason.UNAVAILABLE,
            operation + " not sent: " + adminCalls.permits()
                + " MinIO admin calls were still running after " + CALL_TIMEOUT.toSeconds() + "s");
      }
      return call;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(Reason.UNAVAILABLE, operation + " interrupted", e);
    }
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** MinIO answered with an error status; a {@link BackendException} with the mapped reason. */
  static final class Refused extends BackendException {
    private final transient ErrorAnswer answer;

    Refused(String operation, ErrorAnswer answer) {
      this(operation, answer, MinioErrors.reasonOf(answer));
    }

    private Refused(String operation, ErrorAnswer answer, Reason reason) {
      super(reason, MinioErrors.message(operation, reason, MinioErrors.describe(answer)));
      this.answer = answer;
    }

    ErrorAnswer answer() {
      return answer;
    }
  }
}
