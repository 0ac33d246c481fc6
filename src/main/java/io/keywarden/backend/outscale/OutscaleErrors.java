package io.keywarden.backend.outscale;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import java.util.Map;

/**
 * Maps OAPI errors to {@link BackendException} reasons: the error code first (the API's errors
 * page, and the {@code gateway_errors.yaml} that osc-sdk-python ships), then the error type, then
 * the HTTP status.
 */
final class OutscaleErrors {

  /**
   * The codes that matter for access keys. From the errors page: 1 ErrorAuthenticationFailed, 4
   * ErrorUnauthorizedOperation, 5 ErrorNotAuthorized, 6 ErrorOperationThrottled (HTTP 503), 7
   * ErrorUserNotAllowed, 8 ErrorWrongAuthenticationMethod, 9 AuthFailure (login/password not
   * allowed for the call), 10 ErrorMissingLoginPassword, 11 ErrorBruteForceAccessLocked (locked
   * for good), 12 ErrorUnknownAuthorizationType, 13 ErrorTemporaryBruteForceAccessLockedException,
   * 14 ErrorUnmatchedApiAccessRules, 20 PasswordExpired, 24/25 ErrorOperationThrottledPerAccount /
   * PerCall (HTTP 429). From gateway_errors.yaml: 4000 access-keys-not-found, 5075 no-such-user,
   * 10005 too-many-accesskeys.
   */
  private static final Map<String, Reason> BY_CODE =
      Map.ofEntries(
          Map.entry("1", Reason.AUTHENTICATION),
          Map.entry("8", Reason.AUTHENTICATION),
          Map.entry("9", Reason.AUTHENTICATION),
          Map.entry("10", Reason.AUTHENTICATION),
          Map.entry("11", Reason.AUTHENTICATION),
          Map.entry("12", Reason.AUTHENTICATION),
          Map.entry("13", Reason.AUTHENTICATION),
          Map.entry("14", Reason.AUTHENTICATION),
          Map.entry("20", Reason.AUTHENTICATION),
          // authenticated, but not allowed (EIM policies): a person must grant the permission
          Map.entry("4", Reason.ACCESS_DENIED),
          Map.entry("5", Reason.ACCESS_DENIED),
          Map.entry("7", Reason.ACCESS_DENIED),
          Map.entry("6", Reason.THROTTLED),
          Map.entry("24", Reason.THROTTLED),
          Map.entry("25", Reason.THROTTLED),
          Map.entry("4000", Reason.NOT_FOUND),
          Map.entry("5075", Reason.NOT_FOUND),
          Map.entry("10005", Reason.LIMIT_EXCEEDED));

  /** Codes that mean the credentials are locked after repeated failures. */
  private static final Map<String, String> LOCKED =
      Map.of(
          "11", "The credentials are locked for good after repeated authentication failures; Outscale support must unlock them",
          "13", "The credentials are locked for a while after repeated authentication failures; keywarden does not retry them fast");

  private OutscaleErrors() {}

  static Reason reasonOf(OapiException e) {
    Reason byCode = e.code() == null ? null : BY_CODE.get(e.code());
    if (byCode != null) {
      return byCode;
    }
    String type = e.type() == null ? "" : e.type();
    if (type.startsWith("TooManyResources")) {
      return Reason.LIMIT_EXCEEDED;
    }
    if (type.equals("InvalidResource")) {
      return Reason.NOT_FOUND;
    }
    if (type.startsWith("Invalid") || type.equals("MissingParameter") || type.equals("ResourceConflict")) {
      return Reason.INVALID_REQUEST;
    }
    return Reason.forHttpStatus(e.status());
  }

  /**
   * The BackendException for an API error.
   *
   * @param operation what was attempted: {@code "oapi:CreateAccessKey for user Bob"}
   */
  static BackendException toBackendException(String operation, OapiException e) {
    Reason reason = reasonOf(e);
    StringBuilder m = new StringBuilder(operation).append(" failed: ").append(e.getMessage());
    String hint = LOCKED.getOrDefault(e.code() == null ? "" : e.code(), hint(reason));
    if (hint != null) {
      m.append(". ").append(hint);
    }
    if (e.requestId() != null) {
      m.append(" (request ").append(e.requestId()).append(')');
    }
    return new BackendException(reason, m.toString(), e);
  }

  private static String hint(Reason reason) {
    return switch (reason) {
      case LIMIT_EXCEEDED -> "The account and each EIM user hold at most 10 access keys; one must be deleted first";
      case AUTHENTICATION ->
          "Check the provider's Outscale credentials; repeated failures lock them, so keywarden waits before trying again";
      case ACCESS_DENIED -> "The provider's EIM user lacks a permission for access keys";
      default -> null;
    };
  }
}
