package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.minio.MinioErrors.ErrorAnswer;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MinioErrorsTest {

  /** An admin API error body as MinIO writes it. */
  static String admin(String code, String message) {
    return "{\"Code\":\"" + code + "\",\"Message\":\"" + message + "\",\"Resource\":\"/minio/admin/v3/x\","
        + "\"RequestId\":\"18EAC52595C2B814\",\"HostId\":\"470a0afc\"}";
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        // status, body, reason: codes and messages as the pinned MinIO sends them
        Arguments.of(403, admin("InvalidAccessKeyId", "The Access Key Id you provided does not exist in our records."), Reason.AUTHENTICATION),
        Arguments.of(403, admin("InvalidAccessKeyId", "Your account is disabled; please contact your administrator."), Reason.AUTHENTICATION),
        Arguments.of(403, admin("SignatureDoesNotMatch", "The request signature we calculated does not match"), Reason.AUTHENTICATION),
        Arguments.of(403, admin("RequestTimeTooSkewed", "The difference between the request time and the server's time is too large."), Reason.AUTHENTICATION),
        Arguments.of(403, admin("AccessDenied", "Access Denied."), Reason.ACCESS_DENIED),
        Arguments.of(403, admin("XMinioIAMActionNotAllowed", "Specified IAM action is not allowed"), Reason.ACCESS_DENIED),
        Arguments.of(404, admin("XMinioAdminNoSuchUser", "The specified user does not exist."), Reason.NOT_FOUND),
        Arguments.of(404, admin("XMinioInvalidIAMCredentials", "The specified service account is not found"), Reason.NOT_FOUND),
        Arguments.of(403, admin("XMinioInvalidIAMCredentials", "Credential is not allowed to be same as admin access key"), Reason.INVALID_REQUEST),
        Arguments.of(400, admin("XMinioIAMServiceAccountNotAllowed", "Specified service account action is not allowed: the service account access key is taken by another user"), Reason.INVALID_REQUEST),
        Arguments.of(400, admin("XMinioIAMServiceAccountSessionPolicyTooLarge", "Session policy should not exceed 2048 characters"), Reason.INVALID_REQUEST),
        Arguments.of(400, admin("XMinioAdminInvalidAccessKey", "The access key is invalid."), Reason.INVALID_REQUEST),
        Arguments.of(400, admin("XMinioInvalidResource", "Policy, user or group names are not allowed to begin or end with space characters"), Reason.INVALID_REQUEST),
        Arguments.of(400, admin("MalformedPolicy", "policy has no actions"), Reason.INVALID_REQUEST),
        // MinIO answers an expiry outside its window with a 500
        Arguments.of(500, admin("InternalError", "We encountered an internal error, please try again. (invalid service account expiration)"), Reason.INVALID_REQUEST),
        Arguments.of(500, admin("InternalError", "We encountered an internal error, please try again."), Reason.UNAVAILABLE),
        Arguments.of(503, admin("XMinioServerNotInitialized", "Server not initialized yet, please try again."), Reason.UNAVAILABLE),
        Arguments.of(503, admin("SlowDownWrite", "Resource requested is unwritable, please reduce your request rate"), Reason.THROTTLED),
        Arguments.of(429, admin("TooManyRequests", "Please reduce your request rate"), Reason.THROTTLED),
        Arguments.of(429, "", Reason.THROTTLED),
        Arguments.of(502, "<html>Bad Gateway</html>", Reason.UNAVAILABLE),
        Arguments.of(401, "", Reason.AUTHENTICATION),
        Arguments.of(403, "", Reason.ACCESS_DENIED),
        Arguments.of(404, "not json", Reason.NOT_FOUND),
        Arguments.of(400, admin("SomethingNew", "?"), Reason.INVALID_REQUEST),
        // S3 errors are XML
        Arguments.of(403, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidAccessKeyId</Code>"
            + "<Message>The Access Key Id you provided does not exist in our records.</Message></Error>", Reason.AUTHENTICATION),
        Arguments.of(403, "<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>", Reason.ACCESS_DENIED),
        Arguments.of(503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", Reason.THROTTLED));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void mapsCodeFirstThenStatus(int status, String body, Reason reason) {
    assertThat(MinioErrors.reasonOf(ErrorAnswer.parse(status, body))).isEqualTo(reason);
  }

  @Test
  void tellsWhoTookAnAccessKey() {
    ErrorAnswer same = ErrorAnswer.parse(400, admin(MinioErrors.SERVICE_ACCOUNT_NOT_ALLOWED,
        "Specified service account action is not allowed: the service account access key already taken"));
    ErrorAnswer other = ErrorAnswer.parse(400, admin(MinioErrors.SERVICE_ACCOUNT_NOT_ALLOWED,
        "Specified service account action is not allowed: the service account access key is taken by another user"));
    ErrorAnswer forServiceAccount = ErrorAnswer.parse(400, admin(MinioErrors.SERVICE_ACCOUNT_NOT_ALLOWED,
        "Specified service account action is not allowed: unable to create a service account for another service account"));

    assertThat(same.accessKeyTakenBySameUser()).isTrue();
    assertThat(same.accessKeyTakenByAnotherUser()).isFalse();
    assertThat(other.accessKeyTakenByAnotherUser()).isTrue();
    assertThat(other.accessKeyTakenBySameUser()).isFalse();
    assertThat(forServiceAccount.accessKeyTakenBySameUser()).isFalse();
    assertThat(forServiceAccount.accessKeyTakenByAnotherUser()).isFalse();
  }

  @Test
  void messagesNameTheOperationCodeStatusAndMiniosWords() {
    ErrorAnswer answer = ErrorAnswer.parse(404, admin("XMinioAdminNoSuchUser", "The specified user does not exist."));

    assertThat(MinioErrors.message("admin add-service-account for user bob", MinioErrors.reasonOf(answer), MinioErrors.describe(answer)))
        .isEqualTo("admin add-service-account for user bob failed: XMinioAdminNoSuchUser (HTTP 404): The specified user does not exist.");
    ErrorAnswer denied = ErrorAnswer.parse(403, admin("SignatureDoesNotMatch", "The request signature we calculated does not match."));
    assertThat(MinioErrors.message("admin accountinfo", MinioErrors.reasonOf(denied), MinioErrors.describe(denied)))
        .endsWith("does not match. Check the provider's MinIO credentials (and that the account is enabled)");
    assertThat(MinioErrors.describe(ErrorAnswer.parse(502, "<html>"))).isEqualTo("error (HTTP 502)");
    assertThat(MinioErrors.describe(ErrorAnswer.parse(400, admin("X", "a\n  b".repeat(200))))).hasSizeLessThan(340);
  }

  @Test
  void requestsWithoutAnAnswerAreUnavailable() {
    BackendException refused = MinioErrors.unreachable("admin accountinfo", new ConnectException("Connection refused"));
    BackendException timeout = MinioErrors.unreachable("admin accountinfo", new HttpTimeoutException("request timed out"));

    assertThat(refused.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(refused).hasMessage("admin accountinfo failed: no answer from MinIO (ConnectException: Connection refused)");
    assertThat(timeout.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(timeout.getMessage()).contains("HttpTimeoutException: request timed out");
  }
}
