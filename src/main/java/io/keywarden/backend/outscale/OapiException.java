package io.keywarden.backend.outscale;

/**
 * The API answered with an error. Its parts come from the OAPI {@code ErrorResponse}
 * ({@code Errors[0].Code}, {@code Type}, {@code Details}), any of which may be null; none of them
 * ever holds a secret.
 */
final class OapiException extends Exception {

  private final int status;
  private final String code;
  private final String type;
  private final String requestId;

  OapiException(int status, String code, String type, String details, String requestId) {
    super(describe(status, code, type, details), null, false, false);
    this.status = status;
    this.code = code;
    this.type = type;
    this.requestId = requestId;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String type() {
    return type;
  }

  String requestId() {
    return requestId;
  }

  /** {@code 10005 TooManyResources (QuotaExceded) (HTTP 400): too-many-accesskeys}. */
  private static String describe(int status, String code, String type, String details) {
    StringBuilder m = new StringBuilder();
    if (code != null) {
      m.append(code).append(' ');
    }
    m.append(type != null ? type : "error").append(" (HTTP ").append(status).append(')');
    if (details != null && !details.isBlank()) {
      m.append(": ").append(details.strip());
    }
    return m.toString();
  }
}
