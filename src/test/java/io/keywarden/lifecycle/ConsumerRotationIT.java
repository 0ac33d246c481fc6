package io.keywarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.rollout.RestartAnnotation;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keywarden.reconciler.LifecycleStep;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * Rotation with consumers against a real kube-apiserver and a real moto. No controller-manager
 * runs here, so the test plays the Deployment controller: a "pod" is the credentials it read from
 * the Secret when it started, and the test writes the Deployment's status once it "started" pods
 * with the new key. What a real node adds (pods, kubelet, a real rollout) is the node helper's.
 */
@Tag("it")
class ConsumerRotationIT {
  static MotoServer moto;
  final AdjustableClock clock = new AdjustableClock();
  AwsOnRealCluster cluster;
  KeywardenOperator operator;
  String user;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @BeforeEach
  void setUp() {
    cluster = new AwsOnRealCluster(moto);
    user = "Bob-" + UUID.randomUUID().toString().substring(0, 6);
    moto.createUser(user);
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT, (s, ak) -> {}, clock);
  }

  @AfterEach
  void tearDown() {
    operator.close();
  }

  Deployment app() {
    return cluster.client.apps().deployments().inNamespace(cluster.namespace).withName("app").get();
  }

  void createApp() {
    cluster.client.resource(Serialization.unmarshal("metadata: {name: app, namespace: " + cluster.namespace + "}\n"
        + "spec: {replicas: 2, selector: {matchLabels: {app: app}}, template: {metadata: {labels: {app: app}},"
        + " spec: {containers: [{name: app, image: registry.invalid/app, envFrom: [{secretRef: {name: billing}}]}]}}}",
        Deployment.class)).create();
    rolloutFinished();
  }

  /** What the Deployment controller writes once both pods run the current template and are available. */
  void rolloutFinished() {
    Deployment d = app();
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2).withReadyReplicas(2).build());
    cluster.client.apps().deployments().inNamespace(cluster.namespace).resource(d).updateStatus();
  }

  AccessKey billing(String grace) {
    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "billing", "aws", user);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = grace;
    accessKey.getSpec().rotation.discoverConsumers = true;
    cluster.client.resource(accessKey).create();
    return cluster.awaitReady("billing");
  }

  @Test
  void theOldKeyWorksUntilThePodsRunTheNewOne() {
    createApp();
    billing("1s");
    MotoServer.Credentials oldPods = AwsOnRealCluster.credentialsIn(cluster.secret("billing"));
    long generation = app().getMetadata().getGeneration();

    Edits.rotate(cluster.client, cluster.namespace, "billing", "1");

    cluster.awaitKey("billing", ak -> ak.getStatus().rollout != null && ak.getStatus().rollout.startedAt != null);
    assertThat(app().getMetadata().getGeneration()).as("one new pod template").isEqualTo(generation + 1);
    assertThat(app().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(RestartAnnotation.key("billing"), "2");
    MotoServer.Credentials newPods = AwsOnRealCluster.credentialsIn(cluster.secret("billing"));
    assertThat(newPods.accessKeyId()).isNotEqualTo(oldPods.accessKeyId());
    assertThat(cluster.signs(newPods)).isTrue();

    // the rollout takes longer than the timeout: the old pods' key is kept and still works
    clock.advance(Duration.ofMinutes(31));
    AccessKey stalled = cluster.awaitKey("billing", ak -> "RolloutStalled".equals(rotating(ak)));
    assertThat(stalled.getStatus().previousAccessKeyId).isEqualTo(oldPods.accessKeyId());
    assertThat(cluster.signs(oldPods)).as("old pods keep working while the rollout is stalled").isTrue();

    rolloutFinished();

    cluster.awaitKey("billing", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(cluster.signs(oldPods)).isFalse();
    assertThat(cluster.signs(newPods)).isTrue();
    assertThat(accessKeyIds()).containsExactly(newPods.accessKeyId());
    assertThat(app().getMetadata().getGeneration()).as("no second restart").isEqualTo(generation + 1);
  }

  /**
   * The operator dies (its thread frozen, then its client closed, as CrashRecoveryIT does) after
   * publishing the new key, after annotating the consumers, or is simply restarted during the
   * rollout: the fresh operator restarts nothing a second time and completes the rotation.
   */
  @ParameterizedTest(name = "operator dies after {0}")
  @EnumSource(value = LifecycleStep.class, names = {"KEY_RECORDED", "CONSUMERS_RESTARTED"})
  void anOperatorThatDiesMidRotationRestartsNothingTwice(LifecycleStep crashAfter) throws Exception {
    operator.close();
    createApp();
    Crash crash = Crash.armedLaterAt(crashAfter);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(cluster.client.getConfiguration()).build();
    KeywardenOperator doomed = KeywardenTestOperator.start(doomedClient, cluster.namespace, BackendFactory.CONNECT, crash, clock);
    billing("1s");
    MotoServer.Credentials oldPods = AwsOnRealCluster.credentialsIn(cluster.secret("billing"));
    long generation = app().getMetadata().getGeneration();
    crash.arm();
    Edits.rotate(cluster.client, cluster.namespace, "billing", "1");
    assertThat(crash.awaitReached(60)).as("the operator reached %s", crashAfter).isTrue();
    doomedClient.close();
    crash.release();
    doomed.close();

    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT, (s, ak) -> {}, clock);
    cluster.awaitKey("billing", ak -> ak.getStatus().rollout != null && ak.getStatus().rollout.startedAt != null);
    assertThat(app().getMetadata().getGeneration()).as("restarted once").isEqualTo(generation + 1);
    assertThat(cluster.signs(oldPods)).as("the old pods still work").isTrue();

    // and a plain restart in the middle of the rollout
    operator.close();
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT, (s, ak) -> {}, clock);
    rolloutFinished();

    AccessKey settled = cluster.awaitKey("billing", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(accessKeyIds()).containsExactly(settled.getStatus().accessKeyId);
    assertThat(app().getMetadata().getGeneration()).as("still restarted once").isEqualTo(generation + 1);
    assertThat(cluster.signs(AwsOnRealCluster.credentialsIn(cluster.secret("billing")))).isTrue();
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnce() {
    createApp();
    billing("1h");
    MotoServer.Credentials leaked = AwsOnRealCluster.credentialsIn(cluster.secret("billing"));

    Edits.patch(cluster.client, cluster.namespace, "billing",
        "{\"metadata\":{\"annotations\":{\"" + AccessKey.REVOKE_ANNOTATION + "\":\"leak-1\"}}}");

    await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.signs(leaked));
    AccessKey revoked = cluster.awaitKey("billing", ak -> ak.getStatus().rollout != null && ak.getStatus().rollout.startedAt != null);
    MotoServer.Credentials fresh = AwsOnRealCluster.credentialsIn(cluster.secret("billing"));
    assertThat(cluster.signs(fresh)).isTrue();
    assertThat(revoked.getStatus().revocation.accessKeyId).isEqualTo(leaked.accessKeyId());
    assertThat(accessKeyIds()).containsExactly(fresh.accessKeyId());
    assertThat(app().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(RestartAnnotation.key("billing"), "2");
  }

  /** The user's keys as IAM lists them. */
  List<String> accessKeyIds() {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
          .map(AccessKeyMetadata::accessKeyId).toList();
    }
  }

  static String rotating(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.ROTATING).map(c -> c.getReason()).orElse("");
  }
}
