package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.SpecProblem;
import io.keywarden.backend.BackendException;
import io.keywarden.secret.SecretStore;
import java.time.Duration;

/**
 * How a failure shows in the Ready condition and how long to wait before the next attempt: the one
 * mapping of failures to condition reasons, for AccessKeys and for providers' credential checks.
 */
record Failure(String reason, String message, boolean unexpected, Duration minimumBase) {
  /** A failure of a provider's own check: the provider is the subject already. */
  static Failure of(RuntimeException e) {
    return of(e, null);
  }

  /**
   * @param providerId named in refusals of the provider's identity, the one thing an operator
   *     changes (its credentials or their permissions) and a backend's message cannot name
   */
  static Failure of(RuntimeException e, String providerId) {
    if (e instanceof SpecProblem p) {
      return new Failure(p.reason(), p.getMessage(), false, null);
    }
    if (e instanceof SecretStore.SecretOwnershipConflict) {
      return new Failure("SecretConflict", e.getMessage(), false, null);
    }
    if (e instanceof BackendException b) {
      return switch (b.reason()) {
        case LIMIT_EXCEEDED -> new Failure("LimitExceeded", b.getMessage(), false, Duration.ofSeconds(30));
        case NOT_FOUND -> new Failure("BackendNotFound", b.getMessage(), false, null);
        case THROTTLED -> new Failure("Throttled", b.getMessage(), false, Duration.ofSeconds(10));
        case UNAVAILABLE -> new Failure("BackendUnavailable", b.getMessage(), false, null);
        // repeated authentication failures can lock an account: never retry them fast
        case AUTHENTICATION -> new Failure("AuthenticationFailed", naming(providerId, b.getMessage()), false,
            Duration.ofMinutes(1));
        case ACCESS_DENIED -> new Failure("AccessDenied", naming(providerId, b.getMessage()), false,
            Duration.ofSeconds(30));
        case INVALID_REQUEST -> new Failure("BackendRejected", b.getMessage(), false, null);
        case KEY_NOT_USABLE_YET -> new Failure("KeyNotUsable", b.getMessage(), false, null);
      };
    }
    if (e instanceof KubernetesClientException) {
      return new Failure("KubernetesApiError", e.getMessage(), false, null);
    }
    return new Failure("InternalError", e.getClass().getSimpleName() + ": " + e.getMessage(), true, null);
  }

  private static String naming(String providerId, String message) {
    return providerId == null ? message : providerId + ": " + message;
  }

  /** The configured base, raised for failures that must not be retried fast, never above max. */
  Duration backoffBase(Duration base, Duration max) {
    Duration raised = minimumBase != null && minimumBase.compareTo(base) > 0 ? minimumBase : base;
    return raised.compareTo(max) > 0 ? max : raised;
  }
}
