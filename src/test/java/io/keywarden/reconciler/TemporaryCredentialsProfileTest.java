package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.memory.TemporaryLikeBackend;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The temporary-credentials profile (MinIO signed in through OpenID) on the fabric8 mock server:
 * credentials with a session token are published, refreshed before they expire, and nothing is
 * deleted at the backend when the AccessKey goes. MinioOpenIdIT runs the same against MinIO.
 */
@EnableKubernetesMockClient(crud = true)
class TemporaryCredentialsProfileTest {
  static KubernetesClient client;

  final AdjustableClock clock = new AdjustableClock();
  final TemporaryLikeBackend backend = new TemporaryLikeBackend(clock);
  final String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
  KeywardenOperator operator;

  @BeforeEach
  void start() {
    OpenIdProviderFixture.create(client, ns);
    operator = KeywardenTestOperator.start(client, ns, StandardBackends.registry(), p -> backend, (s, ak) -> {}, clock);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void publishesTemporaryCredentialsAndRefreshesThemBeforeTheyExpire() {
    AccessKey accessKey = Fixtures.accessKey(ns, "sts", "sts", null);
    accessKey.getSpec().temporary = true;
    accessKey.getSpec().expiryDuration = "1h";
    client.resource(accessKey).create();

    AccessKey first = awaitKey(ak -> ak.getStatus().accessKeyId != null
        && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
    assertThat(accepted(secret(), first.getStatus().accessKeyId)).isTrue();
    assertThat(backend.allKeys()).as("temporary credentials are no keys").isEmpty();

    clock.advance(Duration.ofMinutes(45)); // past the renewal time: a third of the lifetime left
    AccessKey refreshed = awaitKey(ak -> ak.getStatus().accessKeyId != null
        && !ak.getStatus().accessKeyId.equals(first.getStatus().accessKeyId));
    assertThat(refreshed.getStatus().revision).isEqualTo(2L);
    assertThat(accepted(secret(), refreshed.getStatus().accessKeyId)).isTrue();
    assertThat(backend.issued()).hasSize(2);

    client.resource(refreshed).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("sts").get() == null);
  }

  private boolean accepted(Secret secret, String accessKeyId) {
    return accessKeyId.equals(ProfileRun.value(secret, "AWS_ACCESS_KEY_ID"))
        && backend.acceptsTemporary(accessKeyId, ProfileRun.value(secret, "AWS_SECRET_ACCESS_KEY"),
            ProfileRun.value(secret, "AWS_SESSION_TOKEN"));
  }

  private Secret secret() {
    return client.secrets().inNamespace(ns).withName("sts").get();
  }

  private AccessKey awaitKey(java.util.function.Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("sts").get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
