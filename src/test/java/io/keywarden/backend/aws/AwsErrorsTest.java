package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;

class AwsErrorsTest {

  static AwsServiceException aws(String code, int status) {
    return aws(code, status, "message from AWS");
  }

  static AwsServiceException aws(String code, int status, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Iam").build())
        .build();
  }

  static Stream<Arguments> serviceErrors() {
    return Stream.of(
        // code, HTTP status, reason
        Arguments.of("LimitExceeded", 409, Reason.LIMIT_EXCEEDED),
        Arguments.of("NoSuchEntity", 404, Reason.NOT_FOUND),
        Arguments.of("Throttling", 400, Reason.THROTTLED),
        Arguments.of("ThrottlingException", 400, Reason.THROTTLED),
        Arguments.of("RequestLimitExceeded", 503, Reason.THROTTLED),
        Arguments.of("SomethingNew", 429, Reason.THROTTLED),
        Arguments.of(null, 429, Reason.THROTTLED),
        Arguments.of("ServiceUnavailable", 503, Reason.UNAVAILABLE),
        Arguments.of("ServiceFailure", 500, Reason.UNAVAILABLE),
        Arguments.of("InternalFailure", 500, Reason.UNAVAILABLE),
        Arguments.of("SomethingNew", 502, Reason.UNAVAILABLE),
        Arguments.of(null, 500, Reason.UNAVAILABLE),
        Arguments.of("InvalidClientTokenId", 403, Reason.AUTHENTICATION),
        Arguments.of("SignatureDoesNotMatch", 403, Reason.AUTHENTICATION),
        Arguments.of("ExpiredToken", 400, Reason.AUTHENTICATION),
        Arguments.of("MissingAuthenticationToken", 403, Reason.AUTHENTICATION),
        Arguments.of("SomethingNew", 401, Reason.AUTHENTICATION),
        Arguments.of("AccessDenied", 403, Reason.ACCESS_DENIED),
        Arguments.of("AccessDeniedException", 403, Reason.ACCESS_DENIED),
        Arguments.of("SomethingNew", 403, Reason.ACCESS_DENIED),
        Arguments.of("ValidationError", 400, Reason.INVALID_REQUEST),
        Arguments.of("InvalidInput", 400, Reason.INVALID_REQUEST),
        Arguments.of("MalformedInput", 400, Reason.INVALID_REQUEST),
        Arguments.of("SomethingNew", 400, Reason.INVALID_REQUEST),
        Arguments.of("SomethingNew", 404, Reason.NOT_FOUND));
  }

  @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
  @MethodSource("serviceErrors")
  void mapsServiceErrors(String code, int status, Reason reason) {
    assertThat(AwsErrors.reasonOf(aws(code, status))).isEqualTo(reason);
    assertThat(AwsErrors.isRetryable(aws(code, status)))
        .isEqualTo(reason == Reason.THROTTLED || reason == Reason.UNAVAILABLE);
    assertThat(AwsErrors.isThrottling(aws(code, status))).isEqualTo(reason == Reason.THROTTLED);
  }

  static Stream<Arguments> modelledExceptions() {
    return Stream.of(
        Arguments.of(
            LimitExceededException.builder()
                .statusCode(409)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceeded").build())
                .build(),
            Reason.LIMIT_EXCEEDED),
        Arguments.of(
            NoSuchEntityException.builder()
                .statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchEntity").build())
                .build(),
            Reason.NOT_FOUND),
        Arguments.of(
            ExpiredTokenException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredTokenException").build())
                .build(),
            Reason.AUTHENTICATION));
  }

  @ParameterizedTest
  @MethodSource("modelledExceptions")
  void mapsTheModelledIamAndStsExceptions(AwsServiceException e, Reason reason) {
    assertThat(AwsErrors.reasonOf(e)).isEqualTo(reason);
  }

  static Stream<Arguments> clientErrors() {
    return Stream.of(
        Arguments.of(
            SdkClientException.create(
                "Unable to execute HTTP request: Connect to 127.0.0.1:1 failed",
                new ConnectException("Connection refused")),
            Reason.UNAVAILABLE),
        Arguments.of(
            SdkClientException.create("Unable to execute HTTP request: Read timed out", new SocketTimeoutException("Read timed out")),
            Reason.UNAVAILABLE),
        Arguments.of(ApiCallTimeoutException.create(30_000), Reason.UNAVAILABLE),
        Arguments.of(ApiCallAttemptTimeoutException.create(10_000), Reason.UNAVAILABLE),
        Arguments.of(
            SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(...)"),
            Reason.AUTHENTICATION),
        // IRSA: the chain failed because STS could not be reached: that passes
        Arguments.of(
            SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain",
                SdkClientException.create("Unable to execute HTTP request", new IOException("Connection reset"))),
            Reason.UNAVAILABLE),
        // IRSA: STS refused the web identity token
        Arguments.of(
            SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain",
                aws("ExpiredTokenException", 400)),
            Reason.AUTHENTICATION),
        Arguments.of(SdkServiceException.builder().statusCode(503).build(), Reason.UNAVAILABLE));
  }

  @ParameterizedTest
  @MethodSource("clientErrors")
  void mapsClientSideFailures(Exception e, Reason reason) {
    assertThat(AwsErrors.reasonOf(e)).isEqualTo(reason);
  }

  /** moto's authentication errors: EC2-style nesting that the SDK's query parser leaves unread. */
  @Test
  void readsTheCodeFromAnEc2StyleErrorBodyTheSdkDidNotParse() {
    AwsServiceException e =
        AwsServiceException.builder()
            .statusCode(403)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .serviceName("Sts")
                    .rawResponse(
                        SdkBytes.fromUtf8String(
                            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error>"
                                + "<Code>InvalidClientTokenId</Code><Message>The security token included in the"
                                + " request is invalid.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"))
                    .build())
            .build();
    assertThat(AwsErrors.errorCode(e)).isEqualTo("InvalidClientTokenId");
    assertThat(AwsErrors.reasonOf(e)).isEqualTo(Reason.AUTHENTICATION);
    assertThat(AwsErrors.toBackendException("sts:GetCallerIdentity", e).getMessage())
        .startsWith("sts:GetCallerIdentity failed: InvalidClientTokenId (HTTP 403): The security token included in"
            + " the request is invalid.");
  }

  @Test
  void onlyAnExplicitAccessDeniedCodeMeansAuthenticatedButRefused() {
    assertThat(AwsErrors.isExplicitAccessDenied(aws("AccessDenied", 403))).isTrue();
    assertThat(AwsErrors.isExplicitAccessDenied(aws("AccessDeniedException", 400))).isTrue();
    assertThat(AwsErrors.isExplicitAccessDenied(aws(null, 403))).isFalse();
    assertThat(AwsErrors.isExplicitAccessDenied(aws("InvalidClientTokenId", 403))).isFalse();
    assertThat(AwsErrors.isExplicitAccessDenied(new RuntimeException("x"))).isFalse();
  }

  @Test
  void messageNamesOperationCodeStatusAndAwsMessage() {
    BackendException e =
        AwsErrors.toBackendException(
            "iam:CreateAccessKey for user Bob",
            aws("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2"));
    assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    assertThat(e.getMessage())
        .startsWith("iam:CreateAccessKey for user Bob failed: LimitExceeded (HTTP 409): Cannot exceed quota for AccessKeysPerUser: 2")
        .contains("at most 2 access keys");
    assertThat(e.getCause()).isInstanceOf(AwsServiceException.class);
  }

  @Test
  void messageForAConnectionFailureNamesTheRootCause() {
    BackendException e =
        AwsErrors.toBackendException(
            "sts:GetCallerIdentity",
            SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused")));
    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(e.getMessage())
        .isEqualTo("sts:GetCallerIdentity failed: no answer from the endpoint (ConnectException: Connection refused)");
  }

  @Test
  void authenticationMessagePointsAtTheCredentials() {
    BackendException e =
        AwsErrors.toBackendException(
            "iam:ListAccessKeys for user Bob",
            aws("InvalidClientTokenId", 403, "The security token included in the request is invalid."));
    assertThat(e.getMessage())
        .isEqualTo(
            "iam:ListAccessKeys for user Bob failed: InvalidClientTokenId (HTTP 403): The security token included"
                + " in the request is invalid. Check the provider's AWS credentials");
  }

  @Test
  void longAwsMessagesAreShortenedToOneLine() {
    BackendException e = AwsErrors.toBackendException("iam:X", aws("ValidationError", 400, "line\n".repeat(200)));
    assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400);
  }
}
