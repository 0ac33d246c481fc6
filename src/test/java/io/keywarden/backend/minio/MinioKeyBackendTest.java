package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the backend decides without MinIO: bad input is refused before anything is sent. */
class MinioKeyBackendTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  /** Nothing listens there: a request that got sent would fail as UNAVAILABLE, not INVALID_REQUEST. */
  private static final MinioKeyBackend BACKEND =
      new MinioKeyBackend(
          MinioBackendConfig.of(URI.create("http://127.0.0.1:1"), "admin", SecretValue.of("admin-secret")),
          Clock.fixed(NOW, ZoneOffset.UTC));

  private static void assertRefusedBeforeSending(CreateKeyRequest request, String expected) {
    assertThatThrownBy(() -> BACKEND.create(request))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST))
        .hasMessageContaining("not sent")
        .hasMessageContaining(expected);
  }

  @Test
  void refusesBadCreateRequestsBeforeSendingThem() {
    SecretValue secret = SecretValue.of("secret-key-1");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", null, null, "1st", null, null, null), "the name must start");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", "d".repeat(257), null), "the description is longer");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", null, null, null, "{}", null, null), "the policy has no Statement");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", null, NOW.plusSeconds(600)), "the expiry");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", null, null, null, null, "a,b", secret), "the access key must not contain ','");
    assertRefusedBeforeSending(new CreateKeyRequest("bob", "n", null, null, null, null, "bob", secret), "must differ from the user name");
    assertRefusedBeforeSending(
        new CreateKeyRequest("bob", "n", null, null, null, null, "key1", SecretValue.of("short")), "the secret key is 5 bytes long");
  }

  @Test
  void refusesBadUpdatesBeforeSendingThem() {
    assertThatThrownBy(() -> BACKEND.update("bob", "KEY", new KeySettings(null, null, "[1]", null, KeyStatus.ACTIVE)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST))
        .hasMessageContaining("the policy must be a JSON object");
  }

  @Test
  void aRequestThatIsSentButUnansweredIsUnavailable() {
    assertThatThrownBy(() -> BACKEND.create(new CreateKeyRequest("bob", "n", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
  }

  @Test
  void readsMiniosExpirations() {
    assertThat(MinioKeyBackend.expiry("2026-11-24T20:18:55Z")).isEqualTo(Instant.parse("2026-11-24T20:18:55Z"));
    assertThat(MinioKeyBackend.expiry("2026-11-24T21:18:55+01:00")).isEqualTo(Instant.parse("2026-11-24T20:18:55Z"));
    assertThat(MinioKeyBackend.expiry("1970-01-01T00:00:00Z")).as("MinIO's 'never'").isNull();
    assertThat(MinioKeyBackend.expiry("0001-01-01T00:00:00Z")).as("Go's zero time").isNull();
    assertThat(MinioKeyBackend.expiry(null)).isNull();
  }

  @Test
  void aChosenAccessKeyNeedsItsSecretKey() {
    assertThatThrownBy(() -> new CreateKeyRequest("bob", "n", null, null, null, null, "key1", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CreateKeyRequest("bob", "n", null, null, null, null, null, SecretValue.of("secret-key")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
