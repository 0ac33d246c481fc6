package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What moto cannot show: the SDK retry decisions (which failures are repeated, and that
 * CreateAccessKey never is), pagination of ListAccessKeys, and unknown statuses. A scripted
 * HTTP peer on 127.0.0.1 answers with IAM's query-protocol XML, one scripted answer per request.
 */
class AwsIamBackendWireTest {

  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

  private HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
  private AwsIamBackend backend;

  record Answer(int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> request = form(body);
          request.put("_authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          requests.add(request);
          Answer a;
          synchronized (script) {
            a = script.isEmpty() ? new Answer(500, error("Receiver", "InternalFailure", "script exhausted")) : script.poll();
          }
          byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/xml");
          exchange.sendResponseHeaders(a.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    backend =
        AwsIamBackend.create(
            AwsBackendConfig.of(
                    "us-east-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAWIRETEST", "wire-test-secret")))
                .withEndpoint(endpoint));
  }

  @AfterEach
  void stop() {
    backend.close();
    server.stop(0);
  }

  private void answer(int status, String body) {
    script.add(new Answer(status, body));
  }

  private List<String> actions() {
    return requests.stream().map(r -> r.get("Action")).toList();
  }

  @Test
  void throttledIdempotentCallsAreRetriedAFewTimesThenReportedAsThrottled() {
    for (int i = 0; i < 5; i++) {
      answer(400, error("Sender", "Throttling", "Rate exceeded"));
    }
    assertThatThrownBy(() -> backend.list("Bob"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.THROTTLED))
        .hasMessageContaining("iam:ListAccessKeys for user Bob failed: Throttling (HTTP 400): Rate exceeded");
    assertThat(actions()).containsExactly("ListAccessKeys", "ListAccessKeys", "ListAccessKeys");
  }

  @Test
  void aRetriedCallThatSucceedsReturnsNormally() {
    answer(503, error("Receiver", "ServiceUnavailable", "try later"));
    answer(200, listPage(List.of(member("AKIA1", "Active", "2026-01-02T03:04:05.123456Z")), null));
    assertThat(backend.list("Bob")).extracting(KeyInfo::accessKeyId).containsExactly("AKIA1");
    assertThat(actions()).containsExactly("ListAccessKeys", "ListAccessKeys");
  }

  @Test
  void createAccessKeyIsNeverRepeatedBySdk() {
    answer(503, error("Receiver", "ServiceUnavailable", "try later"));
    answer(200, createResponse());
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest("Bob", "n1", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    assertThat(actions()).containsExactly("CreateAccessKey");
  }

  @Test
  void authenticationFailuresAreNeverRetried() {
    answer(403, error("Sender", "InvalidClientTokenId", "The security token included in the request is invalid."));
    answer(403, error("Sender", "InvalidClientTokenId", "The security token included in the request is invalid."));
    assertThatThrownBy(() -> backend.delete("Bob", "AKIA1"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION));
    assertThat(actions()).containsExactly("DeleteAccessKey");
  }

  @Test
  void clockSkewLookingErrorsAreNotRetriedEither() {
    answer(403, error("Sender", "SignatureDoesNotMatch", "Signature expired"));
    answer(200, listPage(List.of(), null));
    assertThatThrownBy(() -> backend.list("Bob"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION));
    assertThat(actions()).containsExactly("ListAccessKeys");
  }

  @Test
  void listFollowsEveryPage() {
    answer(200, listPage(List.of(member("AKIA1", "Active", "2026-01-02T03:04:05Z")), "page-2"));
    answer(200, listPage(List.of(member("AKIA2", "Inactive", "2026-01-02T03:04:06.5Z")), null));
    List<KeyInfo> keys = backend.list("Bob");
    assertThat(keys)
        .containsExactly(
            new KeyInfo("AKIA1", "Bob", KeyStatus.ACTIVE, Instant.parse("2026-01-02T03:04:05Z"), null, null),
            new KeyInfo("AKIA2", "Bob", KeyStatus.INACTIVE, Instant.parse("2026-01-02T03:04:06.5Z"), null, null));
    assertThat(requests.get(0)).containsEntry("UserName", "Bob").doesNotContainKey("Marker");
    assertThat(requests.get(1)).containsEntry("Marker", "page-2");
  }

  @Test
  void anExpiredOrUnknownStatusCountsAsInactive() {
    answer(200, listPage(List.of(member("AKIA1", "Expired", "2026-01-02T03:04:05Z"), member("AKIA2", "Frozen", "2026-01-02T03:04:05Z")), null));
    assertThat(backend.list("Bob")).extracting(KeyInfo::status).containsExactly(KeyStatus.INACTIVE, KeyStatus.INACTIVE);
  }

  @Test
  void userNameIsOmittedForTheCallersOwnKeys() {
    answer(200, createResponse());
    IssuedKey key = backend.create(new CreateKeyRequest(null, "n1", "ignored", null));
    assertThat(requests.get(0)).containsEntry("Action", "CreateAccessKey").doesNotContainKey("UserName");
    // an Outscale-EIM-style ORN in UserName is reduced to the plain name
    assertThat(key.user()).isEqualTo("User_Name");
    assertThat(key.secretAccessKey()).isEqualTo(SecretValue.of("wire/secret+EXAMPLE"));
    assertThat(key.createdAt()).isEqualTo(Instant.parse("2016-05-12T14:58:06.364Z"));
  }

  @Test
  void invalidUserNamesAreRefusedWithoutACall() {
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest("bob smith", "n1", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST))
        .hasMessage("iam:CreateAccessKey not sent: the user name contains a space at position 4: an IAM user name"
            + " may contain only letters, digits and _+=,.@-");
    assertThat(requests).isEmpty();
  }

  @Test
  void deleteTreatsAMissingKeyOrUserAsDeleted() {
    answer(404, error("Sender", "NoSuchEntity", "The Access Key with id AKIA1 cannot be found."));
    answer(404, error("Sender", "NoSuchEntity", "The user with name Ghost cannot be found."));
    backend.delete("Bob", "AKIA1");
    backend.delete("Ghost", "AKIA1");
    assertThat(actions()).containsExactly("DeleteAccessKey", "DeleteAccessKey");
  }

  @Test
  void verifySignsWithTheNewKeyAndReportsAnUnknownKeyAsNotUsableYet() {
    IssuedKey fresh = new IssuedKey("AKIANEWKEY0000000001", SecretValue.of("new-key-secret"), null, "Bob", Instant.now());
    answer(200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        + "<Arn>arn:aws:iam::123456789012:user/Bob</Arn><UserId>AIDA1</UserId><Account>123456789012</Account>"
        + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    backend.verify(fresh);
    assertThat(requests.get(0)).containsEntry("Action", "GetCallerIdentity");
    assertThat(requests.get(0).get("_authorization")).contains("Credential=AKIANEWKEY0000000001/");

    answer(403, error("Sender", "InvalidClientTokenId", "The security token included in the request is invalid."));
    assertThatThrownBy(() -> backend.verify(fresh))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_USABLE_YET))
        .hasMessage("the new access key AKIANEWKEY0000000001 is not accepted yet (sts:GetCallerIdentity signed with the"
            + " new access key AKIANEWKEY0000000001: InvalidClientTokenId (HTTP 403): The security token included in"
            + " the request is invalid.)");
    assertThat(actions()).containsExactly("GetCallerIdentity", "GetCallerIdentity");

    // the provider's own calls still sign with the provider's key
    answer(200, listPage(List.of(), null));
    backend.list("Bob");
    assertThat(requests.get(2).get("_authorization")).contains("Credential=AKIAWIRETEST/");
  }

  @Test
  void aBare403WithoutAnErrorCodeDoesNotPassVerification() {
    IssuedKey fresh = new IssuedKey("AKIANEWKEY0000000002", SecretValue.of("new-key-secret"), null, "Bob", Instant.now());
    answer(403, "<html>Forbidden</html>");
    assertThatThrownBy(() -> backend.verify(fresh))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED));
  }

  // --- IAM query-protocol XML ----------------------------------------------------------------

  private static String error(String type, String code, String message) {
    return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + type + "</Type><Code>" + code
        + "</Code><Message>" + message + "</Message></Error><RequestId>req-1</RequestId></ErrorResponse>";
  }

  private static String member(String id, String status, String created) {
    return "<member><UserName>Bob</UserName><AccessKeyId>" + id + "</AccessKeyId><Status>" + status
        + "</Status><CreateDate>" + created + "</CreateDate></member>";
  }

  private static String listPage(List<String> members, String marker) {
    return "<ListAccessKeysResponse xmlns=\"" + NS + "\"><ListAccessKeysResult><UserName>Bob</UserName>"
        + "<AccessKeyMetadata>" + String.join("", members) + "</AccessKeyMetadata>"
        + "<IsTruncated>" + (marker != null) + "</IsTruncated>"
        + (marker == null ? "" : "<Marker>" + marker + "</Marker>")
        + "</ListAccessKeysResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListAccessKeysResponse>";
  }

  private static String createResponse() {
    return "<CreateAccessKeyResponse xmlns=\"" + NS + "\"><CreateAccessKeyResult><AccessKey>"
        + "<UserName>orn:ows:idauth::123456789012:user/User_Name</UserName><AccessKeyId>NOPQR2STUVWX3YZABCDE</AccessKeyId>"
        + "<Status>Active</Status><SecretAccessKey>wire/secret+EXAMPLE</SecretAccessKey>"
        + "<CreateDate>2016-05-12T14:58:06.364Z</CreateDate></AccessKey></CreateAccessKeyResult>"
        + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateAccessKeyResponse>";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }
}
