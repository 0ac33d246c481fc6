package io.keywarden.backend.minio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps MinIO answers to {@link BackendException}s. Admin API errors are JSON ({@code {"Code":
 * "XMinio…", "Message": "…"}}), S3 errors are XML ({@code <Error><Code>…}); the code decides first,
 * the HTTP status second. Error bodies name users and access keys, never secrets.
 */
final class MinioErrors {

  /** The admin error code of both "access key already taken" answers. */
  static final String SERVICE_ACCOUNT_NOT_ALLOWED = "XMinioIAMServiceAccountNotAllowed";

  private static final Map<String, Reason> BY_CODE =
      Map.ofEntries(
          Map.entry("InvalidAccessKeyId", Reason.AUTHENTICATION), // also: the account is disabled
          Map.entry("SignatureDoesNotMatch", Reason.AUTHENTICATION),
          Map.entry("InvalidTokenId", Reason.AUTHENTICATION),
          Map.entry("ExpiredToken", Reason.AUTHENTICATION),
          Map.entry("RequestTimeTooSkewed", Reason.AUTHENTICATION),
          Map.entry("AccessDenied", Reason.ACCESS_DENIED),
          Map.entry("XMinioIAMActionNotAllowed", Reason.ACCESS_DENIED),
          Map.entry("XMinioAdminNoSuchUser", Reason.NOT_FOUND),
          Map.entry("XMinioAdminNoSuchAccessKey", Reason.NOT_FOUND),
          Map.entry("SlowDown", Reason.THROTTLED),
          Map.entry("SlowDownRead", Reason.THROTTLED),
          Map.entry("SlowDownWrite", Reason.THROTTLED),
          Map.entry("TooManyRequests", Reason.THROTTLED),
          Map.entry("XMinioServerNotInitialized", Reason.UNAVAILABLE),
          Map.entry("XMinioIAMNotInitialized", Reason.UNAVAILABLE),
          Map.entry(SERVICE_ACCOUNT_NOT_ALLOWED, Reason.INVALID_REQUEST),
          Map.entry("XMinioIAMServiceAccountSessionPolicyTooLarge", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminInvalidAccessKey", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminInvalidSecretKey", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminNoAccessKey", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminNoSecretKey", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminInvalidArgument", Reason.INVALID_REQUEST),
          Map.entry("XMinioInvalidResource", Reason.INVALID_REQUEST),
          Map.entry("XMinioAdminConfigBadJSON", Reason.INVALID_REQUEST),
          Map.entry("MalformedPolicy", Reason.INVALID_REQUEST),
          Map.entry("InvalidArgument", Reason.INVALID_REQUEST));

  private static final int MAX_MESSAGE = 300;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern XML_CODE = Pattern.compile("<Code>\\s*([A-Za-z0-9_.:-]{1,100})\\s*</Code>");
  private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]{1,1000})</Message>");

  private MinioErrors() {}

  /** An error answer: its HTTP status and what its body says. */
  record ErrorAnswer(int status, String code, String message) {

    /** Reads the code and message of a JSON (admin) or XML (S3) error body; both may be null. */
    static ErrorAnswer parse(int status, String body) {
      if (body == null || body.isBlank()) {
        return new ErrorAnswer(status, null, null);
      }
      String trimmed = body.strip();
      if (trimmed.startsWith("{")) {
        try {
          JsonNode tree = JSON.readTree(trimmed);
          return new ErrorAnswer(status, text(tree, "Code"), text(tree, "Message"));
        } catch (IOException notJson) {
          return new ErrorAnswer(status, null, null);
        }
      }
      Matcher code = XML_CODE.matcher(trimmed);
      Matcher message = XML_MESSAGE.matcher(trimmed);
      return new ErrorAnswer(
          status, code.find() ? code.group(1) : null, message.find() ? unescapeXml(message.group(1)) : null);
    }

    /** "the service account access key already taken": the key exists for the same parent user. */
    boolean accessKeyTakenBySameUser() {
      return SERVICE_ACCOUNT_NOT_ALLOWED.equals(code) && message != null && message.contains("already taken");
    }

    /** "the service account access key is taken by another user" (or is a user's own name). */
    boolean accessKeyTakenByAnotherUser() {
      return SERVICE_ACCOUNT_NOT_ALLOWED.equals(code) && message != null && message.contains("taken by another user");
    }
  }

  static Reason reasonOf(ErrorAnswer answer) {
    Reason byCode = answer.code() == null ? null : BY_CODE.get(answer.code());
    if (byCode != null) {
      return byCode;
    }
    // MinIO answers an expiry outside its window with 500 InternalError; it is not transient.
    if (answer.message() != null && answer.message().contains("invalid service account expiration")) {
      return Reason.INVALID_REQUEST;
    }
    if (answer.status() == 403 && answer.code() != null) {
      // e.g. XMinioInvalidIAMCredentials: "Credential is not allowed to be same as admin access key"
      return Reason.INVALID_REQUEST;
    }
    // 404: XMinioInvalidIAMCredentials "The specified service account is not found"
    return Reason.forHttpStatus(answer.status());
  }

  /** A request that got no answer: connection refused, timeout, reset. */
  static BackendException unreachable(String operation, IOException e) {
    String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + shorten(e.getMessage());
    if (tlsFailure(e)) {
      // the JDK's "PKIX path building failed" does not tell an operator what to change
      return new BackendException(Reason.UNAVAILABLE, tlsMessage(operation, e.getClass().getSimpleName() + detail), e);
    }
    return new BackendException(
        Reason.UNAVAILABLE,
        operation + " failed: no answer from MinIO (" + e.getClass().getSimpleName() + detail + ")",
        e);
  }

  /** What a failed TLS handshake tells the operator, with the client's own detail. */
  static String tlsMessage(String operation, String detail) {
    return operation + " failed: TLS handshake with MinIO failed, its certificate is not trusted or does not match"
        + " the endpoint (" + detail + "). A private CA belongs in spec.minio.caBundle";
  }

  /** Whether the failure is TLS's: the JDK client may wrap the SSLException. */
  static boolean tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  static String message(String operation, Reason reason, String what) {
    StringBuilder m = new StringBuilder(operation).append(" failed: ").append(what);
    String hint = hint(reason);
    if (hint != null) {
      m.append(m.charAt(m.length() - 1) == '.' ? " " : ". ").append(hint);
    }
    return m.toString();
  }

  /** {@code "XMinioAdminNoSuchUser (HTTP 404): The specified user does not exist."} */
  static String describe(ErrorAnswer answer) {
    StringBuilder m = new StringBuilder(answer.code() == null ? "error" : answer.code());
    m.append(" (HTTP ").append(answer.status()).append(')');
    if (answer.message() != null && !answer.message().isBlank()) {
      m.append(": ").append(shorten(answer.message().strip()));
    }
    return m.toString();
  }

  private static String hint(Reason reason) {
    return switch (reason) {
      case AUTHENTICATION -> "Check the provider's MinIO credentials (and that the account is enabled)";
      case ACCESS_DENIED -> "The provider's identity lacks a MinIO admin permission";
      default -> null;
    };
  }

  private static String text(JsonNode tree, String field) {
    JsonNode node = tree.get(field);
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static String unescapeXml(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
  }
}
