package io.keywarden.backend.outscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven: the errors page's codes and types, and the status fallback. */
class OutscaleErrorsTest {

  @ParameterizedTest(name = "{0} {1} HTTP {2} -> {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        // authentication: never retried fast
        "1,     AccessDenied,                    401, AUTHENTICATION",
        "9,     AuthFailure,                     401, AUTHENTICATION",
        "11,    AccessDenied,                    401, AUTHENTICATION",
        "13,    AccessDenied,                    401, AUTHENTICATION",
        "20,    PasswordExpired,                 401, AUTHENTICATION",
        // authenticated but not allowed
        "4,     AccessDenied,                    401, ACCESS_DENIED",
        "5,     AccessDenied,                    401, ACCESS_DENIED",
        "7,     AccessDenied,                    401, ACCESS_DENIED",
        // throttling: the three limiters of "API Throttling"
        "6,     AccessDenied,                    503, THROTTLED",
        "24,    AccessDenied,                    429, THROTTLED",
        "25,    AccessDenied,                    429, THROTTLED",
        // access keys
        "4000,  InvalidParameterValue,           400, NOT_FOUND",
        "5075,  InvalidResource,                 400, NOT_FOUND",
        "10005, TooManyResources (QuotaExceded), 400, LIMIT_EXCEEDED",
        // by type
        "10041, TooManyResources (QuotaExceded), 400, LIMIT_EXCEEDED",
        "5071,  InvalidResource,                 400, NOT_FOUND",
        "4047,  InvalidParameterValue,           400, INVALID_REQUEST",
        "6003,  InvalidState,                    409, INVALID_REQUEST",
        "9022,  ResourceConflict,                409, INVALID_REQUEST",
        // no code: the status decides
        "-,     -,                               429, THROTTLED",
        "-,     -,                               502, UNAVAILABLE",
        "-,     -,                               401, AUTHENTICATION",
        "-,     -,                               403, ACCESS_DENIED",
        "-,     -,                               404, NOT_FOUND",
        "-,     -,                               400, INVALID_REQUEST",
      })
  void reasonOf(String code, String type, int status, Reason expected) {
    assertThat(OutscaleErrors.reasonOf(new OapiException(status, code, type, null, null))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "10005, TooManyResources (QuotaExceded), 'too-many-accesskeys', 'at most 10 access keys'",
    "13,    AccessDenied, 'ErrorTemporaryBruteForceAccessLockedException', 'does not retry them fast'",
    "11,    AccessDenied, 'ErrorBruteForceAccessLocked', 'Outscale support must unlock them'",
    "1,     AccessDenied, 'ErrorAuthenticationFailed', 'repeated failures lock them'",
  })
  void messagesNameTheOperationTheErrorAndWhatToDo(String code, String type, String details, String hint) {
    BackendException e =
        OutscaleErrors.toBackendException(
            "oapi:CreateAccessKey for EIM user Bob", new OapiException(401, code, type, details, "0475ca1e"));
    assertThat(e.getMessage())
        .startsWith("oapi:CreateAccessKey for EIM user Bob failed: " + code + " " + type + " (HTTP 401): " + details)
        .contains(hint)
        .endsWith("(request 0475ca1e)");
  }
}
