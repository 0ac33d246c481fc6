package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a backend refusal shows in Ready and how slowly it is retried. */
class FailureTest {
  private static final String PROVIDER = "AccessKeyProvider/team-a/minio";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // backend reason | Ready reason | names the provider | backoff base with a 5s base, 5m max
      "ACCESS_DENIED, AccessDenied, true, PT30S",
      "AUTHENTICATION, AuthenticationFailed, true, PT1M",
      "NOT_FOUND, BackendNotFound, false, PT5S",
      "UNAVAILABLE, BackendUnavailable, false, PT5S",
      "THROTTLED, Throttled, false, PT10S",
  })
  void backendRefusals(Reason reason, String readyReason, boolean namesProvider, Duration base) {
    Failure failure =
        Failure.of(new BackendException(reason, "admin delete-service-account K failed: …"), PROVIDER);
    assertThat(failure.reason()).isEqualTo(readyReason);
    assertThat(failure.message()).contains("admin delete-service-account K failed");
    assertThat(failure.message().startsWith(PROVIDER + ": ")).isEqualTo(namesProvider);
    assertThat(failure.unexpected()).isFalse();
    assertThat(failure.backoffBase(Duration.ofSeconds(5), Duration.ofMinutes(5))).isEqualTo(base);
  }
}
