package io.keywarden.backend;

/**
 * A backend call failed. The reason decides the reconciler's reaction; the message is shown in
 * conditions and events, so it must never carry a secret.
 */
public class BackendException extends RuntimeException {

  public enum Reason {
    /** The user holds as many keys as the backend allows. Waits for a key to go; no fast retry. */
    LIMIT_EXCEEDED,
    /** The user (or key) does not exist. A spec or backend problem a person must fix. */
    NOT_FOUND,
    /** The backend asked us to slow down. */
    THROTTLED,
    /** 5xx, timeouts, connection failures. */
    UNAVAILABLE,
    /** The provider credentials are wrong or expired. Never retried fast (accounts can lock). */
    AUTHENTICATION,
    /** Authenticated, but not allowed to do this. */
    ACCESS_DENIED,
    /** The backend refused the request's content (a name, a policy, a date). */
    INVALID_REQUEST,
    /** A freshly created key is not accepted yet. */
    KEY_NOT_USABLE_YET;

    /** What an HTTP error status means when the backend's own error code says nothing more. */
    public static Reason forHttpStatus(int status) {
      if (status == 429) {
        return THROTTLED;
      }
      if (status >= 500) {
        return UNAVAILABLE;
      }
      return switch (status) {
        case 401 -> AUTHENTICATION;
        case 403 -> ACCESS_DENIED;
        case 404 -> NOT_FOUND;
        default -> INVALID_REQUEST;
      };
    }
  }

  private final Reason reason;

  public BackendException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public BackendException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
