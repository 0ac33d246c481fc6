package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.keywarden.KeywardenOperator;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.MinioOpenId;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.StatusVersionCheck;
import io.keywarden.testsupport.memory.TemporaryLikeBackend;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash after each step of an issue of temporary credentials, first and refresh: a fresh
 * operator converges to credentials that work, published and recorded, with no fence left. It
 * issues again only when the crashed one's credentials never reached the Secret (they expire
 * unused); credentials already published are adopted, so the Secret does not change twice.
 */
class TemporaryCredentialsCrashTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  final AdjustableClock clock = new AdjustableClock();
  final TemporaryLikeBackend backend = new TemporaryLikeBackend(clock);
  final String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startServer() {
    server = StatusVersionCheck.server();
    server.init();
    client = server.createClient();
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.destroy();
  }

  /** The step, and how many issues a first issue interrupted there takes in all. */
  static Stream<Arguments> steps() {
    return Stream.of(
        Arguments.of(LifecycleStep.FENCE_WRITTEN, 1),
        Arguments.of(LifecycleStep.KEY_CREATED, 2),
        Arguments.of(LifecycleStep.SECRET_WRITTEN, 1),
        Arguments.of(LifecycleStep.KEY_RECORDED, 1));
  }

  @BeforeEach
  void provider() {
    Crds.apply(client);
    client.resource(new ServiceAccountBuilder().withNewMetadata().withName("keys").withNamespace(ns).endMetadata()
        .build()).create();
    AccessKeyProvider provider = Fixtures.minioProvider(ns, "sts", "http://127.0.0.1:1", "unused");
    provider.getSpec().minio.credentials = null;
    provider.getSpec().minio.openid = new MinioOpenId();
    provider.getSpec().minio.openid.serviceAccountToken = new ServiceAccountToken();
    provider.getSpec().minio.openid.serviceAccountToken.serviceAccountName = "keys";
    provider.getSpec().minio.openid.serviceAccountToken.audience = "minio";
    client.resource(provider).create();
  }

  @ParameterizedTest(name = "after {0}")
  @MethodSource("steps")
  void aFirstIssueInterruptedAfterAStepConverges(LifecycleStep step, int issues) throws Exception {
    Crash crash = Crash.at(step);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = start(doomedClient, crash);
    client.resource(temporaryAccessKey()).create();
    crashes(crash, doomed, doomedClient, step);

    try (KeywardenOperator fresh = start(client, (s, ak) -> {})) {
      AccessKey settled = assertWorkingCredentials();
      assertThat(settled.getStatus().revision).isEqualTo(1L);
    }
    assertThat(backend.issued()).as("credentials issued").hasSize(issues);
  }

  @ParameterizedTest(name = "after {0}")
  @MethodSource("steps")
  void aRefreshInterruptedAfterAStepConverges(LifecycleStep step, int issues) throws Exception {
    Crash crash = Crash.armedLaterAt(step);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = start(doomedClient, crash);
    client.resource(temporaryAccessKey()).create();
    String first = assertWorkingCredentials().getStatus().accessKeyId;
    crash.arm();
    clock.advance(Duration.ofMinutes(45)); // past the renewal time
    assertThat(crash.awaitReached(60)).as("the operator reached %s", step).isTrue();
    // until the refresh is recorded, the Secret holds credentials that still work: the first, or the new ones
    assertThat(publishedWork()).as("the Secret's credentials work while the refresh is interrupted").isTrue();
    crashes(crash, doomed, doomedClient, step);

    try (KeywardenOperator fresh = start(client, (s, ak) -> {})) {
      AccessKey settled = awaitKey(ak -> ak.getStatus().accessKeyId != null && !first.equals(ak.getStatus().accessKeyId)
          && ak.getStatus().pendingCreate == null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
      assertThat(publishedWork()).isTrue();
      assertThat(secret().getMetadata().getAnnotations()).containsEntry("keywarden.io/access-key-id",
          settled.getStatus().accessKeyId);
      assertThat(settled.getStatus().revision).isEqualTo(2L);
    }
    assertThat(backend.issued()).as("credentials issued").hasSize(1 + issues);
  }

  private void crashes(Crash crash, KeywardenOperator doomed, KubernetesClient doomedClient, LifecycleStep step)
      throws InterruptedException {
    assertThat(crash.awaitReached(60)).as("the operator reached %s", step).isTrue();
    doomedClient.close(); // the crashed process can write nothing more
    crash.release();
    doomed.close();
  }

  private AccessKey assertWorkingCredentials() {
    AccessKey settled = awaitKey(ak -> ak.getStatus().accessKeyId != null && ak.getStatus().pendingCreate == null
        && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
    assertThat(secret().getMetadata().getAnnotations()).containsEntry("keywarden.io/access-key-id",
        settled.getStatus().accessKeyId);
    assertThat(publishedWork()).as("the published credentials work").isTrue();
    return settled;
  }

  private boolean publishedWork() {
    Secret secret = secret();
    return secret != null && backend.acceptsTemporary(ProfileRun.value(secret, "AWS_ACCESS_KEY_ID"),
        ProfileRun.value(secret, "AWS_SECRET_ACCESS_KEY"), ProfileRun.value(secret, "AWS_SESSION_TOKEN"));
  }

  private AccessKey temporaryAccessKey() {
    AccessKey accessKey = Fixtures.accessKey(ns, "sts", "sts", null);
    accessKey.getSpec().temporary = true;
    accessKey.getSpec().expiryDuration = "1h";
    return accessKey;
  }

  private KeywardenOperator start(KubernetesClient with, LifecycleObserver observer) {
    return KeywardenTestOperator.start(with, ns, StandardBackends.registry(), p -> backend, observer, clock);
  }

  private Secret secret() {
    return client.secrets().inNamespace(ns).withName("sts").get();
  }

  private AccessKey awaitKey(Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("sts").get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
