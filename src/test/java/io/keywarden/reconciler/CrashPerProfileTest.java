package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.backend.KeyInfo;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.memory.Profile;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash after each lifecycle step of a create and of a rotation (whose new key waits for a later
 * reconcile before it works), for every capability profile:
 * the operator stops at the step, a fresh one starts on what it left, and the key converges to one
 * working key published in the Secret, with no orphan at the backend.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CrashPerProfileTest {
  static KubernetesClient client;

  static final List<LifecycleStep> CREATE = List.of(LifecycleStep.FENCE_WRITTEN, LifecycleStep.KEY_CREATED,
      LifecycleStep.SECRET_WRITTEN, LifecycleStep.KEY_RECORDED);
  static final List<LifecycleStep> ROTATION = List.of(LifecycleStep.FENCE_WRITTEN, LifecycleStep.KEY_CREATED,
      LifecycleStep.KEY_HELD, LifecycleStep.KEY_VERIFIED, LifecycleStep.SECRET_WRITTEN, LifecycleStep.KEY_RECORDED,
      LifecycleStep.PREVIOUS_DEACTIVATED, LifecycleStep.PREVIOUS_DELETED);

  static Stream<Arguments> createCrashes() {
    return Stream.of(Profile.values()).flatMap(p -> CREATE.stream().map(step -> Arguments.of(p, step)));
  }

  static Stream<Arguments> rotationCrashes() {
    return Stream.of(Profile.values()).flatMap(p -> ROTATION.stream().map(step -> Arguments.of(p, step)));
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("createCrashes")
  void aCreateInterruptedAfterAStepConverges(Profile profile, LifecycleStep step) throws Exception {
    ProfileRun run = new ProfileRun(profile, client);
    Crash crash = Crash.at(step);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = run.start(doomedClient, crash);
    client.resource(withGrace(run.accessKey("app"))).create();
    crashes(crash, doomed, doomedClient, step);

    try (KeywardenOperator fresh = run.start(client, (s, ak) -> {})) {
      assertOneWorkingKey(run);
    }
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("rotationCrashes")
  void aRotationInterruptedAfterAStepConverges(Profile profile, LifecycleStep step) throws Exception {
    ProfileRun run = new ProfileRun(profile, client);
    // as new AWS keys: not usable at first, so the new key is held for a later reconcile before it is verified
    run.backend.newKeysUnusableForVerifications(1);
    Crash crash = Crash.armedLaterAt(step);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = run.start(doomedClient, crash);
    client.resource(withGrace(run.accessKey("app"))).create();
    String first = run.awaitReady("app").getStatus().accessKeyId;
    crash.arm();
    Edits.rotate(client, run.ns, "app", "1");
    if (step == LifecycleStep.PREVIOUS_DEACTIVATED || step == LifecycleStep.PREVIOUS_DELETED) {
      run.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId));
      run.clock.advance(Duration.ofMinutes(11)); // the grace period is over: the previous key retires
    }
    crashes(crash, doomed, doomedClient, step);

    try (KeywardenOperator fresh = run.start(client, (s, ak) -> {})) {
      // the fresh operator finishes or redoes the rotation; then the grace period runs out
      AccessKey rotated = run.awaitKey("app", ak -> "1".equals(ak.getStatus().rotationRequest)
          && ak.getStatus().pendingCreate == null);
      if (rotated.getStatus().previousAccessKeyId != null) {
        run.clock.advance(Duration.ofMinutes(11));
      }
      AccessKey settled = assertOneWorkingKey(run);
      assertThat(settled.getStatus().accessKeyId).isNotEqualTo(first);
      assertThat(settled.getStatus().revision).isGreaterThanOrEqualTo(2L);
    }
  }

  private static void crashes(Crash crash, KeywardenOperator doomed, KubernetesClient doomedClient, LifecycleStep step)
      throws InterruptedException {
    assertThat(crash.awaitReached(60)).as("the operator reached %s", step).isTrue();
    doomedClient.close(); // the crashed process can write nothing more
    crash.release();
    doomed.close();
  }

  private static AccessKey withGrace(AccessKey accessKey) {
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    return accessKey;
  }

  private static AccessKey assertOneWorkingKey(ProfileRun run) {
    AccessKey settled = run.awaitKey("app", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && ak.getStatus().pendingCreate == null && ak.getStatus().previousAccessKeyId == null);
    String id = settled.getStatus().accessKeyId;
    run.awaitBackend(keys -> keys.stream().map(KeyInfo::accessKeyId).toList().equals(List.of(id)));
    assertThat(run.publishesWorkingKey("app", id)).as("the published key works").isTrue();
    return settled;
  }
}
