package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.SecretValue;
import io.keywarden.secret.CredentialEntries;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.testsupport.Fixtures;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestingKeyTest {
  private static final Instant NOW = Instant.parse("2026-12-02T14:00:00Z");

  /** An AccessKey recorded Ready for its generation, with its renewal a day ahead. */
  private static AccessKey atRest() {
    AccessKey ak = Fixtures.accessKey("ns", "app", "aws", "alice");
    ak.getMetadata().setUid("uid-1");
    ak.getMetadata().setGeneration(3L);
    AccessKeyStatus s = new AccessKeyStatus();
    s.accessKeyId = "AKIA1";
    s.createdAt = "2026-11-01T00:00:00Z";
    s.expiresAt = "2026-12-31T00:00:00Z";
    s.renewalTime = "2026-12-03T14:00:00Z";
    s.revision = 2L;
    s.observedGeneration = 3L;
    Conditions.set(s.conditions, Conditions.READY, true, "KeyActive", "access key AKIA1 is active", 3L, NOW.minusSeconds(60));
    ak.setStatus(s);
    return ak;
  }

  private static Secret published(AccessKey ak, String accessKeyId, long revision) {
    return SecretRenderer.render(ak, CredentialEntries.aws(accessKeyId, SecretValue.of("s3cr3t"), null, "eu-west-1", null),
        revision, null);
  }

  @Test
  void aKeyWhoseStatusSecretAndSpecAgreeRestsUntilItsNextTime() {
    AccessKey ak = atRest();
    RestingKey key = RestingKey.of(ak, published(ak, "AKIA1", 2), NOW).orElseThrow();

    assertThat(key.accessKeyId()).isEqualTo("AKIA1");
    assertThat(key.state()).isEqualTo(KeyState.Active);
    assertThat(key.expiresAt()).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(key.nextEvent()).isEqualTo(Instant.parse("2026-12-03T14:00:00Z"));
  }

  @Test
  void anInactiveKeyRestsAsInactive() {
    AccessKey ak = atRest();
    Conditions.set(ak.getStatus().conditions, Conditions.READY, true, "KeyInactive", "inactive", 3L, NOW);
    assertThat(RestingKey.of(ak, published(ak, "AKIA1", 2), NOW).orElseThrow().state()).isEqualTo(KeyState.Inactive);
  }

  static Stream<Arguments> deviations() {
    return Stream.of(
        deviation("the spec changed since Ready was recorded", (ak, secret) -> ak.getMetadata().setGeneration(4L)),
        deviation("Ready is False", (ak, secret) ->
            Conditions.set(ak.getStatus().conditions, Conditions.READY, false, "Throttled", "slow down", 3L, NOW)),
        deviation("no Ready condition", (ak, secret) -> ak.getStatus().conditions.clear()),
        deviation("Ready is of an older generation", (ak, secret) ->
            Conditions.set(ak.getStatus().conditions, Conditions.READY, true, "KeyActive", "active", 2L, NOW)),
        deviation("a create fence is pending", (ak, secret) ->
            ak.getStatus().pendingCreate = new PendingCreate("nonce", "2026-12-02T13:59:00Z")),
        deviation("the last attempt failed", (ak, secret) -> ak.getStatus().failedAttempts = 1),
        deviation("no key recorded", (ak, secret) -> ak.getStatus().accessKeyId = null),
        deviation("a rotation was requested", (ak, secret) ->
            ak.getMetadata().setAnnotations(Map.of(AccessKey.ROTATE_ANNOTATION, "now"))),
        deviation("the renewal time has come", (ak, secret) -> ak.getStatus().renewalTime = "2026-12-02T14:00:00Z"),
        deviation("the key expired", (ak, secret) -> {
          ak.getStatus().renewalTime = null;
          ak.getStatus().expiresAt = "2026-12-02T13:00:00Z";
        }),
        deviation("the previous key's grace period is over", (ak, secret) -> {
          ak.getStatus().previousAccessKeyId = "AKIA0";
          ak.getStatus().previousRetireAt = "2026-12-02T13:59:59Z";
        }),
        deviation("the Secret holds another key", (ak, secret) -> secret.getMetadata().getAnnotations()
            .put(SecretRenderer.ACCESS_KEY_ID_ANNOTATION, "AKIA9")),
        deviation("the Secret is of another revision", (ak, secret) -> secret.getMetadata().getAnnotations()
            .put(SecretRenderer.REVISION_ANNOTATION, "1")),
        deviation("the Secret lost the secret key", (ak, secret) -> secret.getData().clear()),
        deviation("the Secret belongs to someone else", (ak, secret) -> secret.getMetadata().getOwnerReferences().clear()),
        deviation("the AccessKey is being deleted", (ak, secret) ->
            ak.getMetadata().setDeletionTimestamp("2026-12-02T13:59:00Z")),
        deviation("temporary credentials", (ak, secret) -> ak.getSpec().temporary = true));
  }

  private static Arguments deviation(String what, BiConsumer<AccessKey, Secret> change) {
    return Arguments.of(what, change);
  }

  @ParameterizedTest(name = "{0}: the full reconcile runs")
  @MethodSource("deviations")
  void anyDeviationMeansTheKeyIsNotAtRest(String what, BiConsumer<AccessKey, Secret> change) {
    AccessKey ak = atRest();
    Secret secret = published(ak, "AKIA1", 2);
    assertThat(RestingKey.of(ak, secret, NOW)).as("before: %s", what).isPresent();

    change.accept(ak, secret);

    assertThat(RestingKey.of(ak, secret, NOW)).isEmpty();
  }

  @Test
  void noSecretInTheCacheMeansTheKeyIsNotAtRest() {
    assertThat(RestingKey.of(atRest(), null, NOW)).isEmpty();
  }
}
