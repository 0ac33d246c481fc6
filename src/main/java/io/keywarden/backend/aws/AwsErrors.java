package io.keywarden.backend.aws;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Maps AWS SDK failures (IAM, STS, and IAM-compatible APIs such as Outscale EIM) to {@link
 * BackendException}s. The error code decides first, the HTTP status second.
 *
 * <p>Messages name the operation, the AWS error code and status and repeat AWS's own message
 * (which names users and ARNs, never a secret), shortened. SDK client-side failures carry the
 * root cause's message (a host and port, a timeout).
 */
final class AwsErrors {

  /** Error codes seen from IAM, STS and the IAM-compatible APIs, by the reason they mean. */
  private static final Map<String, Reason> BY_CODE =
      Map.ofEntries(
          Map.entry("LimitExceeded", Reason.LIMIT_EXCEEDED),
          Map.entry("LimitExceededException", Reason.LIMIT_EXCEEDED),
          Map.entry("NoSuchEntity", Reason.NOT_FOUND),
          Map.entry("NoSuchEntityException", Reason.NOT_FOUND),
          Map.entry("Throttling", Reason.THROTTLED),
          Map.entry("ThrottlingException", Reason.THROTTLED),
          Map.entry("RequestLimitExceeded", Reason.THROTTLED),
          Map.entry("TooManyRequestsException", Reason.THROTTLED),
          Map.entry("RequestThrottled", Reason.THROTTLED),
          Map.entry("RequestThrottledException", Reason.THROTTLED),
          Map.entry("SlowDown", Reason.THROTTLED),
          Map.entry("ServiceUnavailable", Reason.UNAVAILABLE),
          Map.entry("ServiceUnavailableException", Reason.UNAVAILABLE),
          Map.entry("ServiceFailure", Reason.UNAVAILABLE),
          Map.entry("ServiceFailureException", Reason.UNAVAILABLE),
          Map.entry("InternalFailure", Reason.UNAVAILABLE),
          Map.entry("InternalError", Reason.UNAVAILABLE),
          Map.entry("RequestTimeout", Reason.UNAVAILABLE),
          Map.entry("RequestTimeoutException", Reason.UNAVAILABLE),
          Map.entry("InvalidClientTokenId", Reason.AUTHENTICATION),
          Map.entry("SignatureDoesNotMatch", Reason.AUTHENTICATION),
          Map.entry("ExpiredToken", Reason.AUTHENTICATION),
          Map.entry("ExpiredTokenException", Reason.AUTHENTICATION),
          Map.entry("InvalidAccessKeyId", Reason.AUTHENTICATION),
          Map.entry("IncompleteSignature", Reason.AUTHENTICATION),
          Map.entry("MissingAuthenticationToken", Reason.AUTHENTICATION),
          Map.entry("UnrecognizedClientException", Reason.AUTHENTICATION),
          Map.entry("AuthFailure", Reason.AUTHENTICATION),
          Map.entry("RequestExpired", Reason.AUTHENTICATION),
          Map.entry("AccessDenied", Reason.ACCESS_DENIED),
          Map.entry("AccessDeniedException", Reason.ACCESS_DENIED),
          Map.entry("UnauthorizedOperation", Reason.ACCESS_DENIED),
          Map.entry("ValidationError", Reason.INVALID_REQUEST),
          Map.entry("ValidationException", Reason.INVALID_REQUEST),
          Map.entry("InvalidInput", Reason.INVALID_REQUEST),
          Map.entry("InvalidInputException", Reason.INVALID_REQUEST),
          Map.entry("MalformedInput", Reason.INVALID_REQUEST),
          Map.entry("MalformedQueryString", Reason.INVALID_REQUEST),
          Map.entry("InvalidParameterValue", Reason.INVALID_REQUEST),
          Map.entry("InvalidParameterCombination", Reason.INVALID_REQUEST),
          Map.entry("MissingParameter", Reason.INVALID_REQUEST),
          Map.entry("InvalidAction", Reason.INVALID_REQUEST));

  private static final int MAX_AWS_MESSAGE = 300;

  private static final Pattern XML_CODE = Pattern.compile("<Code>\\s*([A-Za-z0-9_.:-]{1,100})\\s*</Code>");
  private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]{1,1000})</Message>");

  private AwsErrors() {}

  /** The reason an SDK failure means. Never null: unknown failures map by their HTTP status. */
  static Reason reasonOf(Throwable failure) {
    if (failure instanceof AwsServiceException aws) {
      String code = errorCode(aws);
      Reason byCode = code == null ? null : BY_CODE.get(code);
      if (byCode != null) {
        return byCode;
      }
      return byStatus(aws.statusCode(), aws);
    }
    if (failure instanceof SdkServiceException service) {
      return byStatus(service.statusCode(), service);
    }
    if (failure instanceof SdkClientException client && isMissingCredentials(client)) {
      // The credentials chain failed. When it failed because a call it made (IRSA's STS
      // AssumeRoleWithWebIdentity, the pod identity agent) got an answer or no answer, that decides;
      // otherwise no credentials are configured at all.
      for (Throwable t = client.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
        if (t instanceof SdkServiceException || t instanceof java.io.IOException) {
          return reasonOf(t);
        }
      }
      return Reason.AUTHENTICATION;
    }
    // Connection refused, DNS, timeouts (ApiCallTimeoutException is an SdkClientException),
    // unreadable responses, and anything else that never got an AWS answer.
    return Reason.UNAVAILABLE;
  }

  /** Whether the SDK may repeat the call itself: throttling and server-side trouble only. */
  static boolean isRetryable(Throwable failure) {
    Reason reason = reasonOf(failure);
    return reason == Reason.THROTTLED || reason == Reason.UNAVAILABLE;
  }

  /**
   * Whether the failure is an explicit AccessDenied-type error code: the caller authenticated and
   * was refused. A bare HTTP 403 does not count (it may hide an authentication failure).
   */
  static boolean isExplicitAccessDenied(Throwable failure) {
    String code = errorCode(failure);
    return code != null && BY_CODE.get(code) == Reason.ACCESS_DENIED;
  }

  static boolean isThrottling(Throwable failure) {
    return reasonOf(failure) == Reason.THROTTLED;
  }

  /**
   * The BackendException for a failed call.
   *
   * @param operation what was attempted, for the message: {@code "iam:CreateAccessKey for user Bob"}
   */
  static BackendException toBackendException(String operation, Throwable failure) {
    Reason reason = reasonOf(failure);
    return new BackendException(reason, message(operation, reason, failure), failure);
  }

  static String message(String operation, Reason reason, Throwable failure) {
    StringBuilder m = new StringBuilder(operation).append(" failed: ").append(describe(failure));
    String hint = hint(reason);
    if (hint != null) {
      m.append(m.charAt(m.length() - 1) == '.' ? " " : ". ").append(hint);
    }
    return m.toString();
  }

  /**
   * What went wrong, without the operation: {@code "LimitExceeded (HTTP 409): Cannot exceed quota
   * for AccessKeysPerUser: 2"}, or for client-side failures {@code "no answer from the endpoint
   * (ConnectException: Connection refused)"}.
   */
  static String describe(Throwable failure) {
    StringBuilder m = new StringBuilder();
    if (failure instanceof AwsServiceException aws) {
      String code = errorCode(aws);
      m.append(code == null ? "error" : code);
      if (aws.statusCode() > 0) {
        m.append(" (HTTP ").append(aws.statusCode()).append(')');
      }
      String awsMessage = errorMessage(aws);
      if (awsMessage != null && !awsMessage.isBlank()) {
        m.append(": ").append(shorten(awsMessage.strip()));
      }
    } else if (failure instanceof SdkServiceException service) {
      m.append("HTTP ").append(service.statusCode());
    } else {
      Throwable root = rootCause(failure);
      m.append(isMissingCredentials(failure) ? "no usable AWS credentials" : "no answer from the endpoint");
      String detail = root.getMessage();
      m.append(" (").append(root.getClass().getSimpleName());
      if (detail != null && !detail.isBlank()) {
        m.append(": ").append(shorten(detail.strip()));
      }
      m.append(')');
    }
    return m.toString();
  }

  private static String hint(Reason reason) {
    return switch (reason) {
      case LIMIT_EXCEEDED -> "An IAM user holds at most 2 access keys; one must be deleted first";
      case AUTHENTICATION -> "Check the provider's AWS credentials";
      case ACCESS_DENIED -> "The provider's identity lacks an IAM permission";
      default -> null;
    };
  }

  /**
   * The AWS error code of a failure, or null. The SDK reads it from {@code
   * <ErrorResponse><Error><Code>}, the shape IAM and STS use. Some IAM-compatible servers nest it
   * EC2-style as {@code <ErrorResponse><Errors><Error><Code>} (moto does for its authentication
   * errors), which the SDK leaves unparsed; the raw error body is read for it then. Error bodies
   * never carry secrets.
   */
  static String errorCode(Throwable failure) {
    if (!(failure instanceof AwsServiceException aws)) {
      return null;
    }
    AwsErrorDetails details = aws.awsErrorDetails();
    if (details == null) {
      return null;
    }
    if (details.errorCode() != null && !details.errorCode().isBlank()) {
      return details.errorCode();
    }
    String raw = rawBody(details);
    if (raw == null) {
      return null;
    }
    Matcher code = XML_CODE.matcher(raw);
    return code.find() ? code.group(1) : null;
  }

  private static String errorMessage(AwsServiceException aws) {
    AwsErrorDetails details = aws.awsErrorDetails();
    if (details == null) {
      return null;
    }
    if (details.errorMessage() != null && !details.errorMessage().isBlank()) {
      return details.errorMessage();
    }
    String raw = rawBody(details);
    if (raw == null) {
      return null;
    }
    Matcher message = XML_MESSAGE.matcher(raw);
    return message.find()
        ? message.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&apos;", "'").replace("&amp;", "&")
        : null;
  }

  private static String rawBody(AwsErrorDetails details) {
    try {
      return details.rawResponse() == null ? null : details.rawResponse().asUtf8String();
    } catch (RuntimeException notText) {
      return null;
    }
  }

  private static Reason byStatus(int status, SdkServiceException service) {
    if (service.isThrottlingException()) {
      return Reason.THROTTLED;
    }
    if (status >= 400) {
      return Reason.forHttpStatus(status);
    }
    // No status: the exception did not come from an HTTP answer.
    return Reason.UNAVAILABLE;
  }

  private static boolean isMissingCredentials(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("unable to load credentials");
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_AWS_MESSAGE ? oneLine : oneLine.substring(0, MAX_AWS_MESSAGE) + "…";
  }
}
