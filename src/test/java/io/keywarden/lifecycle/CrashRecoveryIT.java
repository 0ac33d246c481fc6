package io.keywarden.lifecycle;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.reconciler.LifecycleStep;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * Stops the operator at each lifecycle step, as a crash would, and starts a fresh operator on the
 * state left behind. Afterwards every AccessKey has exactly one live key, its secret is in the
 * Secret and works, and the backend holds no orphan, without anyone stepping in.
 */
@Tag("it")
class CrashRecoveryIT {
  static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  static Stream<Arguments> crashPoints() {
    List<LifecycleStep> create = List.of(LifecycleStep.FENCE_WRITTEN, LifecycleStep.KEY_CREATED,
        LifecycleStep.SECRET_WRITTEN, LifecycleStep.KEY_RECORDED);
    List<LifecycleStep> rotation = List.of(LifecycleStep.FENCE_WRITTEN, LifecycleStep.KEY_CREATED,
        LifecycleStep.KEY_VERIFIED, LifecycleStep.SECRET_WRITTEN, LifecycleStep.KEY_RECORDED,
        LifecycleStep.PREVIOUS_DEACTIVATED, LifecycleStep.PREVIOUS_DELETED);
    return Stream.concat(
        create.stream().map(step -> Arguments.of("create", step)),
        rotation.stream().map(step -> Arguments.of("rotation", step)));
  }

  @ParameterizedTest(name = "crash during {0} after {1}")
  @MethodSource("crashPoints")
  void aFreshOperatorConvergesWithoutOrphans(String phase, LifecycleStep crashAfter) throws Exception {
    AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
    String user = "crash-" + UUID.randomUUID().toString().substring(0, 6);
    moto.createUser(user);
    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "app", "aws", user);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    // both operators' clock: the grace period passes when the test moves it
    AdjustableClock clock = new AdjustableClock();

    Crash crash = phase.equals("create") ? Crash.at(crashAfter) : Crash.armedLaterAt(crashAfter);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(cluster.client.getConfiguration()).build();
    KeywardenOperator doomed = KeywardenTestOperator.start(doomedClient, cluster.namespace, BackendFactory.CONNECT, crash,
        clock);
    cluster.client.resource(accessKey).create();
    if (phase.equals("rotation")) {
      String first = cluster.awaitReady("app").getStatus().accessKeyId;
      crash.arm();
      Edits.rotate(cluster.client, cluster.namespace, "app", "1");
      if (crashAfter == LifecycleStep.PREVIOUS_DEACTIVATED || crashAfter == LifecycleStep.PREVIOUS_DELETED) {
        cluster.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId));
        clock.advance(Duration.ofMinutes(11)); // the grace period is over: the previous key retires
      }
    }
    assertThat(crash.awaitReached(60)).as("the operator reached %s", crashAfter).isTrue();
    doomedClient.close(); // the crashed process can write nothing more
    crash.release();
    doomed.close();

    try (KeywardenOperator fresh = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT,
        (step, ak) -> {}, clock)) {
      if (phase.equals("rotation")) {
        // the fresh operator finishes or redoes the rotation; then the grace period runs out
        AccessKey rotated = cluster.awaitKey("app", ak -> "1".equals(ak.getStatus().rotationRequest)
            && ak.getStatus().pendingCreate == null);
        if (rotated.getStatus().previousAccessKeyId != null) {
          clock.advance(Duration.ofMinutes(11));
        }
      }
      AccessKey settled = cluster.awaitKey("app", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
          && ak.getStatus().pendingCreate == null && ak.getStatus().previousAccessKeyId == null
          && (phase.equals("create") || ak.getStatus().revision >= 2));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(keysOf(user)).extracting(AccessKeyMetadata::accessKeyId)
              .as("exactly one live key, no orphan").containsExactly(settled.getStatus().accessKeyId));
      Secret secret = cluster.secret("app");
      assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(settled.getStatus().accessKeyId);
      assertThat(cluster.signs(credentialsIn(secret))).as("the published key works").isTrue();
    }
  }

  private static List<AccessKeyMetadata> keysOf(String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata();
    }
  }
}
