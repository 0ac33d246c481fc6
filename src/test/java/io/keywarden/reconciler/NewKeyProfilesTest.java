package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.backend.KeyInfo;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.memory.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A new key between its create call and its record, for every capability profile: a key that is
 * not usable yet and a failed Secret write are tried again on later reconciles, never by a
 * reconcile thread that waits; the verification window runs on the operator's adjustable clock.
 */
@EnableKubernetesMockClient(crud = true)
class NewKeyProfilesTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  /** A verification window far longer than the test, so that only the clock closes it. */
  static final AccessKeyReconciler.Settings LONG_WINDOW = new AccessKeyReconciler.Settings(
      KeywardenTestOperator.FAST.resyncInterval(), KeywardenTestOperator.FAST.backoffBase(),
      KeywardenTestOperator.FAST.backoffMax(), KeywardenTestOperator.FAST.wakeMargin(),
      new KeyLifecycle.Settings(Duration.ofMinutes(10), Duration.ofMillis(100), 3, Duration.ofSeconds(1)));

  ProfileRun run;
  KeywardenOperator operator;
  final List<LifecycleStep> steps = Collections.synchronizedList(new ArrayList<>());

  /** One reconcile thread: an AccessKey that held it while waiting would hold up every other. */
  void start(Profile profile) {
    run = new ProfileRun(profile, client);
    operator = run.start(client, (step, ak) -> steps.add(step), LONG_WINDOW, 1);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void aNewKeyNotUsableYetIsVerifiedOnALaterReconcileWhileOtherKeysProceed(Profile profile) {
    start(profile);
    String first = readyWithGrace("app");
    run.backend.newKeysUsableAfter(Duration.ofMinutes(5));

    Edits.rotate(client, run.ns, "app", "1");
    AccessKey waiting = run.awaitKey("app", ak -> ak.getStatus().pendingCreate != null
        && ak.getStatus().pendingCreate.accessKeyId != null
        && run.backend.verifications(ak.getStatus().pendingCreate.accessKeyId) >= 2);
    String second = waiting.getStatus().pendingCreate.accessKeyId;

    // the only reconcile thread is free: another AccessKey is served while the new key waits
    client.resource(Fixtures.accessKey(run.ns, "other", ProfileRun.PROVIDER, "carol")).create();
    run.awaitReady("other");
    AccessKey stillWaiting = run.awaitKey("app", ak -> true);
    assertThat(stillWaiting.getStatus().accessKeyId).isEqualTo(first);
    assertThat(stillWaiting.getStatus().pendingCreate.accessKeyId).isEqualTo(second);
    assertThat(run.publishesWorkingKey("app", first)).as("the current key stays published").isTrue();

    run.clock.advance(Duration.ofMinutes(5));
    AccessKey rotated = run.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId)
        && ak.getStatus().pendingCreate == null);
    assertThat(rotated.getStatus().accessKeyId).isEqualTo(second);
    assertThat(run.publishesWorkingKey("app", second)).isTrue();
    assertThat(steps).contains(LifecycleStep.KEY_HELD, LifecycleStep.KEY_VERIFIED);
    assertThat(run.backend.creates()).as("one create per key: the held key was not made again").isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void aNewKeyThatNeverWorksIsDeletedWhenTheWindowCloses(Profile profile) {
    start(profile);
    String first = readyWithGrace("app");
    run.backend.newKeysUsableAfter(Duration.ofDays(1));

    Edits.rotate(client, run.ns, "app", "1");
    String second = run.awaitKey("app", ak -> ak.getStatus().pendingCreate != null
        && ak.getStatus().pendingCreate.accessKeyId != null
        && run.backend.verifications(ak.getStatus().pendingCreate.accessKeyId) >= 1)
        .getStatus().pendingCreate.accessKeyId;

    run.clock.advance(Duration.ofMinutes(11));
    AccessKey failed = run.awaitKey("app", ak -> ProfileRun.reason(ak).equals("KeyNotUsable"));
    assertThat(Conditions.find(failed.getStatus().conditions, Conditions.READY).orElseThrow().getMessage())
        .contains(second).contains("did not work within 600 s");
    assertThat(failed.getStatus().accessKeyId).isEqualTo(first);
    assertThat(failed.getStatus().pendingCreate).as("the abandoned key's fence is gone (a retry may have raised its own)")
        .matches(fence -> fence == null || !second.equals(fence.accessKeyId));
    assertThat(run.backend.allKeys()).extracting(KeyInfo::accessKeyId).doesNotContain(second).contains(first);
    assertThat(run.publishesWorkingKey("app", first)).as("the current key stays published").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void aSecretWriteConflictIsRetriedOnALaterReconcile(Profile profile) {
    start(profile);
    String first = readyWithGrace("app");
    server.expect().put().withPath("/api/v1/namespaces/" + run.ns + "/secrets/app")
        .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}")
        .once();

    Edits.rotate(client, run.ns, "app", "1");
    AccessKey rotated = run.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId)
        && ak.getStatus().pendingCreate == null);
    String second = rotated.getStatus().accessKeyId;
    assertThat(run.publishesWorkingKey("app", second)).isTrue();
    assertThat(Conditions.isTrue(rotated.getStatus().conditions, Conditions.READY)).isTrue();
    assertThat(steps).as("held after the failed write, then written").containsSubsequence(
        LifecycleStep.KEY_CREATED, LifecycleStep.KEY_HELD, LifecycleStep.SECRET_WRITTEN, LifecycleStep.KEY_RECORDED);
    assertThat(run.backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactlyInAnyOrder(first, second);
    assertThat(run.backend.creates()).as("the written key is the one created first").isEqualTo(2);
  }

  private String readyWithGrace(String name) {
    AccessKey accessKey = run.accessKey(name);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    return run.awaitReady(name).getStatus().accessKeyId;
  }
}
