package io.keywarden.backend.outscale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.keywarden.backend.outscale.OutscaleBackendConfig.AccessKey;
import io.keywarden.backend.outscale.OutscaleBackendConfig.Credentials;
import io.keywarden.backend.outscale.OutscaleBackendConfig.LoginPassword;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A small typed client for the four OAPI access-key actions: JSON bodies through Jackson, request
 * signing by the AWS SDK's SigV4 signer, transport by the JDK's HTTP client. Why this and not the
 * official Java SDK: docs/outscale-client.md.
 *
 * <p>Signing follows the official Java SDK (io.github.outscale:osc-sdk-java), which signs with the
 * AWS SDK's SigV4 signer under the service name {@value #SIGNING_SERVICE} and the Region; the
 * CLI and the Python SDK send the same algorithm under the names {@code OSC4-HMAC-SHA256} and
 * {@code X-Osc-Date}. Login/password is {@code Authorization: Basic} plus {@code X-Osc-Date}, as
 * the spec's {@code BasicAuth} scheme says.
 *
 * <p>One call, no retries: {@link OutscaleOapiBackend} decides what may be repeated.
 */
final class OapiClient {

  static final String SIGNING_SERVICE = "api";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  private static final DateTimeFormatter X_OSC_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** Headers the JDK client sets itself and refuses to be given. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
  private static final int MAX_ERROR_BODY = 300;

  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          // newer API versions add fields; they must not break older keywarden releases
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  // --- the bodies (the spec's schemas, only the fields keywarden uses) ---------------------------

  record CreateAccessKeyRequest(String expirationDate, String tag, String userName) {}

  record ReadAccessKeysRequest(Filters filters, String tag, String userName) {
    record Filters(List<String> accessKeyIds) {}
  }

  record UpdateAccessKeyRequest(String accessKeyId, String state, String expirationDate, String tag, String userName) {}

  record DeleteAccessKeyRequest(String accessKeyId, String userName) {}

  /** {@code AccessKey}, and {@code AccessKeySecretKey} when {@code secretKey} is set (creation only). */
  record OapiAccessKey(
      String accessKeyId, String state, String creationDate, String expirationDate, String tag, String secretKey) {
    @Override
    public String toString() {
      return "OapiAccessKey[" + accessKeyId + ", " + state + ", expires " + expirationDate + ", tag " + tag + "]";
    }
  }

  record CreateAccessKeyResponse(OapiAccessKey accessKey) {}

  record ReadAccessKeysResponse(List<OapiAccessKey> accessKeys) {}


  // --- calls -----------------------------------------------------------------------------------

  private final OutscaleBackendConfig config;
  private final HttpClient http;
  private final Clock clock;

  OapiClient(OutscaleBackendConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * POSTs one action and reads its answer.
   *
   * @throws OapiException when the API answered with an error
   * @throws IOException when there was no usable answer (connection, timeout, unreadable body)
   */
  <T> T call(String action, Object request, Class<T> responseType, Credentials credentials)
      throws OapiException, IOException {
    byte[] body = JSON.writeValueAsBytes(request);
    URI uri = config.actionUri(action);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : headers(uri, body, credentials).entrySet()) {
      if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        header.getValue().forEach(v -> builder.header(header.getKey(), v));
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() == 200) {
      return JSON.readValue(response.body(), responseType);
    }
    throw error(response.statusCode(), response.body());
  }

  private Map<String, List<String>> headers(URI uri, byte[] body, Credentials credentials) {
    Map<String, List<String>> base = Map.of("Content-Type", List.of("application/json"));
    if (credentials instanceof LoginPassword lp) {
      String basic =
          Base64.getEncoder().encodeToString((lp.login() + ":" + lp.password().reveal()).getBytes(StandardCharsets.UTF_8));
      return Map.of(
          "Content-Type", base.get("Content-Type"),
          "X-Osc-Date", List.of(X_OSC_DATE.format(clock.instant())),
          "Authorization", List.of("Basic " + basic));
    }
    AccessKey key = (AccessKey) credentials;
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri).headers(base).build();
    SignedRequest signed =
        SIGNER.sign(
            r -> r.identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretKey().reveal()))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, config.region())
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    return signed.request().headers();
  }

  /** The API's {@code ErrorResponse}; bodies that are not one keep their status and a short text. */
  private static OapiException error(int status, byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode first = root.path("Errors").path(0);
      if (first.isObject()) {
        return new OapiException(
            status, text(first, "Code"), text(first, "Type"), text(first, "Details"),
            text(root.path("ResponseContext"), "RequestId"));
      }
    } catch (IOException notJson) {
      // described below
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return new OapiException(
        status, null, null, text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text, null);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.asText().isEmpty() ? value.asText() : null;
  }

  // --- dates -----------------------------------------------------------------------------------

  /** How keywarden sends a date-time: RFC 3339 in UTC, to the millisecond. */
  static String formatDate(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Reads a date-time as the API writes it: {@code 2063-04-05T00:00:00.000+0000} (no colon in the
   * offset), and RFC 3339 for good measure.
   */
  static Instant parseDate(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String rfc3339 = value.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2");
    try {
      return OffsetDateTime.parse(rfc3339, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an OAPI date-time: " + value, e);
    }
  }
}
