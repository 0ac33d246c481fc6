package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Consumer;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.reconciler.Conditions;
import io.keywarden.rollout.RestartAnnotation;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.LocalNode;
import io.keywarden.testsupport.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rotation as running workloads live through it, on a real node with the chart installed
 * ({@code restartConsumers=true}): pods read their key once from {@code envFrom} and make a signed
 * call every second (resources/node/caller.py), reporting every result to {@link CallLog}, while
 * {@link KeyHistory} watches moto from outside keywarden for when each key was retired.
 *
 * <p>moto still accepts an inactive key (only a deleted one is refused), so "no failed call" alone
 * would not show that nobody used a retired key: every call made with an old key must also have
 * arrived before that key was retired.
 */
@Tag("it")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotationOnNodeE2E {
  private static final String APPS = "apps";
  private static final Duration SLOW = ChartOnNode.SLOW;
  private static final List<String> USERS = List.of("renewing", "rotating", "stalling");

  private ChartOnNode chart;
  private KubernetesClient client;
  private MotoServer moto;
  private CallLog calls;
  private KeyHistory history;

  @BeforeAll
  void installWithConsumerRestarts() {
    chart = ChartOnNode.start(APPS);
    client = chart.client();
    moto = MotoServer.start(LocalNode.BRIDGE_ADDRESS);
    calls = new CallLog(LocalNode.BRIDGE_ADDRESS);
    MotoServer.Credentials admin = moto.adminCredentials();
    USERS.forEach(moto::createUser);
    moto.enableAuthentication();
    history = new KeyHistory(moto, USERS);
    chart.install("restartConsumers=true"); // the CRDs come with the chart
    client.resource(Fixtures.credentialsSecret(APPS, "aws-admin", admin.accessKeyId(), admin.secretAccessKey().reveal()))
        .create();
    client.resource(Fixtures.awsProvider(APPS, "aws", moto.endpoint().toString(), "aws-admin")).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(APPS).withName("caller").endMetadata()
        .addToData("caller.py", resource("/node/caller.py")).build()).create();
  }

  @AfterAll
  void stop() {
    if (history != null) {
      history.close();
    }
    if (calls != null) {
      calls.close();
    }
    if (moto != null) {
      moto.close();
    }
    if (chart != null) {
      chart.close();
    }
  }

  @Test
  @Order(1)
  void aRenewalRestartsTheConsumerAndRetiresTheOldKeyOnlyAfterItsNewPodsAreReady() {
    Instant start = Instant.now();
    // renewed 90 s after each key is made; the old key is retired about a minute later, before the next renewal
    AccessKey accessKey = accessKey("renewing", "renewing", rotation(r -> r.consumers = List.of(
        new Consumer(WorkloadKind.Deployment, "renewing"))));
    accessKey.getSpec().expiryDuration = "5m";
    accessKey.getSpec().renewBefore = "3m30s";
    client.resource(accessKey).create();
    String first = awaitReady("renewing").getStatus().accessKeyId;
    client.resource(deployment("renewing", "renewing", null)).create();
    awaitRolledOut(WorkloadKind.Deployment, "renewing");

    Instant retired = await().atMost(SLOW).until(() -> history.retiredAt(first).orElse(null), Objects::nonNull);
    AccessKey renewed = get("renewing");
    assertThat(renewed.getStatus().revision).isGreaterThanOrEqualTo(2L);
    assertThat(renewed.getStatus().accessKeyId).isNotEqualTo(first);
    assertRetiredOnlyAfterNewPodsWereReady("renewing", "renewing", 2, retired);
    assertThat(calls.since(start, "renewing-")).filteredOn(c -> !c.ok()).as("failed calls").isEmpty();
    assertNoCallAfterRetirement(first, retired);

    // stop this AccessKey's renewals before the next steps: the workload first, then its key
    client.apps().deployments().inNamespace(APPS).withName("renewing").delete();
    await().atMost(SLOW).until(() -> pods("renewing").isEmpty());
    client.resource(get("renewing")).delete();
    await().atMost(SLOW).until(() -> history.liveKeys("renewing").isEmpty());
  }

  @Test
  @Order(2)
  void rotateRestartsADeploymentAStatefulSetAndADaemonSetWithoutAFailedCall() {
    client.resource(accessKey("rotating", "rotating", rotation(r -> r.discoverConsumers = true))).create();
    awaitReady("rotating");
    client.resource(deployment("rot-deploy", "rotating", null)).create();
    client.resource(statefulSet("rot-sts", "rotating")).create();
    client.resource(daemonSet("rot-ds", "rotating")).create();
    for (WorkloadKind kind : WorkloadKind.values()) {
      awaitRolledOut(kind, workloadName(kind));
    }

    rotateAndProve("rotate-1", revision -> {});
  }

  @Test
  @Order(3)
  void killingTheOperatorMidRotationRestartsNoWorkloadTwiceAndTheRotationCompletes() {
    Pod operator = chart.onlyOperatorPod();
    int restarts = chart.operatorRestarts(operator);
    rotateAndProve("rotate-2", revision -> {
      // the new key is published: the consumers' restart is pending or under way
      await().atMost(SLOW).until(() -> get("rotating").getStatus().revision, r -> r >= revision);
      ChartOnNode.signal("KILL", ChartOnNode.operatorPid(operator));
      await().atMost(SLOW).until(() -> chart.operatorRestarts(operator) > restarts);
    });
  }

  @Test
  @Order(4)
  void revokeRetiresTheOldKeyAtOnceAndTheConsumersMoveToTheNewOne() {
    AccessKey before = get("rotating");
    String revoked = before.getStatus().accessKeyId;
    Instant start = Instant.now();
    annotate("rotating", AccessKey.REVOKE_ANNOTATION, "leak-1");
    Instant retired = await().atMost(SLOW).until(() -> history.retiredAt(revoked).orElse(null), Objects::nonNull);
    long revision = before.getStatus().revision + 1;
    for (WorkloadKind kind : WorkloadKind.values()) {
      awaitRestartedFor(kind, workloadName(kind), revision);
    }
    AccessKey after = get("rotating");
    assertThat(after.getStatus().revocation.accessKeyId).isEqualTo(revoked);
    assertThat(Conditions.find(after.getStatus().conditions, Conditions.ROTATING).orElseThrow().getReason())
        .isEqualTo("Revoked");
    // no grace and no waiting for the consumers: the old key went before any new pod was Ready
    for (WorkloadKind kind : WorkloadKind.values()) {
      for (Pod pod : podsOfRevision(workloadName(kind), "rotating", revision)) {
        assertThat(readySince(pod)).as("%s Ready", pod.getMetadata().getName()).isAfter(retired);
      }
    }
    String current = after.getStatus().accessKeyId;
    await().atMost(SLOW).until(() -> calls.since(Instant.now().minusSeconds(3), "rot-").stream()
        .anyMatch(c -> c.ok() && c.keyId().equals(current)));
    assertThat(calls.since(start, "rot-")).filteredOn(c -> c.ok() && c.keyId().equals(revoked)
        && c.at().isAfter(retired.plusSeconds(5))).as("calls with the revoked key well after it went").isEmpty();
    await().atMost(SLOW).until(() -> history.liveKeys("rotating"), keys -> keys.equals(List.of(current)));
  }

  @Test
  @Order(5)
  void aConsumerWhoseNewPodsNeverBecomeReadyStallsTheRotationAndKeepsTheOldKeyWorking() {
    client.resource(accessKey("stalling", "stalling", rotation(r -> {
      r.consumers = List.of(new Consumer(WorkloadKind.Deployment, "stubborn"));
      r.rolloutTimeout = "40s";
      r.gracePeriod = "10s";
    }))).create();
    String first = awaitReady("stalling").getStatus().accessKeyId;
    client.resource(deployment("stubborn", "stalling", first)).create();
    awaitRolledOut(WorkloadKind.Deployment, "stubborn");

    annotate("stalling", AccessKey.ROTATE_ANNOTATION, "rotate-stalls");
    await().atMost(SLOW).until(() -> get("stalling"), ak -> Conditions.find(ak.getStatus().conditions,
        Conditions.ROTATING).map(c -> "RolloutStalled".equals(c.getReason())).orElse(false));
    Instant stalled = Instant.now();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.v1().events().inNamespace(APPS).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("RolloutStalled");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("stalling");
          assertThat(e.getType()).isEqualTo("Warning");
        }));
    // the old pods still run with the old key, which is still active and still works
    await().atMost(SLOW).until(() -> calls.since(stalled, "stubborn-").stream()
        .filter(c -> c.ok() && c.keyId().equals(first)).count() >= 3);
    assertThat(history.retiredAt(first)).isEmpty();
    assertThat(history.liveKeys("stalling")).contains(first, get("stalling").getStatus().accessKeyId);
  }

  /** Rotates "rotating" with the annotation, runs {@code during} meanwhile, and proves the rotation on all three consumers. */
  private void rotateAndProve(String token, LongConsumer during) {
    AccessKey before = get("rotating");
    String old = before.getStatus().accessKeyId;
    long revision = before.getStatus().revision + 1;
    Map<WorkloadKind, Long> generations = new HashMap<>();
    for (WorkloadKind kind : WorkloadKind.values()) {
      generations.put(kind, workload(kind, workloadName(kind)).getMetadata().getGeneration());
    }
    Instant start = Instant.now();
    annotate("rotating", AccessKey.ROTATE_ANNOTATION, token);
    during.accept(revision);

    Instant retired = await().atMost(SLOW).until(() -> history.retiredAt(old).orElse(null), Objects::nonNull);
    for (WorkloadKind kind : WorkloadKind.values()) {
      String name = workloadName(kind);
      HasMetadata workload = workload(kind, name);
      assertThat(workload.getMetadata().getGeneration()).as("%s restarted once", name).isEqualTo(generations.get(kind) + 1);
      assertRetiredOnlyAfterNewPodsWereReady(name, "rotating", revision, retired);
    }
    assertThat(calls.since(start, "rot-")).filteredOn(c -> !c.ok()).as("failed calls").isEmpty();
    assertNoCallAfterRetirement(old, retired);
    String current = get("rotating").getStatus().accessKeyId;
    await().atMost(SLOW).until(() -> history.liveKeys("rotating"), keys -> keys.equals(List.of(current)));
  }

  private void assertRetiredOnlyAfterNewPodsWereReady(String workload, String accessKey, long revision, Instant retired) {
    List<Pod> fresh = podsOfRevision(workload, accessKey, revision);
    assertThat(fresh).as("pods of %s restarted for revision %d", workload, revision).isNotEmpty();
    for (Pod pod : fresh) {
      assertThat(readySince(pod)).as("%s Ready", pod.getMetadata().getName()).isBefore(retired);
    }
  }

  private void assertNoCallAfterRetirement(String keyId, Instant retired) {
    assertThat(calls.calls()).filteredOn(c -> keyId.equals(c.keyId()) && c.at().isAfter(retired))
        .as("calls with %s after it was retired at %s", keyId, retired).isEmpty();
  }

  private List<Pod> podsOfRevision(String workload, String accessKey, long revision) {
    return pods(workload).stream().filter(p -> RestartAnnotation.value(revision)
        .equals(p.getMetadata().getAnnotations().get(RestartAnnotation.key(accessKey)))).toList();
  }

  private List<Pod> pods(String app) {
    return client.pods().inNamespace(APPS).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static Instant readySince(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> Instant.parse(c.getLastTransitionTime())).findFirst()
        .orElseThrow(() -> new AssertionError(pod.getMetadata().getName() + " is not Ready"));
  }

  private void awaitRestartedFor(WorkloadKind kind, String name, long revision) {
    await().atMost(SLOW).until(() -> {
      HasMetadata workload = workload(kind, name);
      return rolledOut(workload) && !podsOfRevision(name, "rotating", revision).isEmpty();
    });
  }

  private void awaitRolledOut(WorkloadKind kind, String name) {
    await().atMost(SLOW).until(() -> rolledOut(workload(kind, name)));
  }

  private static boolean rolledOut(HasMetadata workload) {
    if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
      var s = d.getStatus();
      return s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
          && Objects.equals(s.getUpdatedReplicas(), d.getSpec().getReplicas())
          && Objects.equals(s.getReadyReplicas(), d.getSpec().getReplicas())
          && Objects.equals(s.getReplicas(), d.getSpec().getReplicas());
    }
    if (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
      var st = s.getStatus();
      return st != null && Objects.equals(st.getObservedGeneration(), s.getMetadata().getGeneration())
          && Objects.equals(st.getUpdatedReplicas(), s.getSpec().getReplicas())
          && Objects.equals(st.getReadyReplicas(), s.getSpec().getReplicas())
          && Objects.equals(st.getCurrentRevision(), st.getUpdateRevision());
    }
    var ds = (io.fabric8.kubernetes.api.model.apps.DaemonSet) workload;
    var st = ds.getStatus();
    return st != null && Objects.equals(st.getObservedGeneration(), ds.getMetadata().getGeneration())
        && st.getDesiredNumberScheduled() > 0
        && Objects.equals(st.getUpdatedNumberScheduled(), st.getDesiredNumberScheduled())
        && Objects.equals(st.getNumberReady(), st.getDesiredNumberScheduled())
        && Objects.equals(st.getCurrentNumberScheduled(), st.getDesiredNumberScheduled());
  }

  private HasMetadata workload(WorkloadKind kind, String name) {
    return switch (kind) {
      case Deployment -> client.apps().deployments().inNamespace(APPS).withName(name).get();
      case StatefulSet -> client.apps().statefulSets().inNamespace(APPS).withName(name).get();
      case DaemonSet -> client.apps().daemonSets().inNamespace(APPS).withName(name).get();
    };
  }

  private static String workloadName(WorkloadKind kind) {
    return switch (kind) {
      case Deployment -> "rot-deploy";
      case StatefulSet -> "rot-sts";
      case DaemonSet -> "rot-ds";
    };
  }

  private AccessKey get(String name) {
    return client.resources(AccessKey.class).inNamespace(APPS).withName(name).get();
  }

  private AccessKey awaitReady(String name) {
    return await().atMost(SLOW).until(() -> get(name), ak -> ak != null && ak.getStatus() != null
        && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  private void annotate(String name, String key, String value) {
    client.resources(AccessKey.class).inNamespace(APPS).withName(name).edit(ak -> {
      Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(ak.getMetadata().getAnnotations(), Map.of()));
      annotations.put(key, value);
      ak.getMetadata().setAnnotations(annotations);
      return ak;
    });
  }

  private static AccessKey accessKey(String name, String user, Rotation rotation) {
    AccessKey accessKey = Fixtures.accessKey(APPS, name, "aws", user);
    accessKey.getSpec().rotation = rotation;
    return accessKey;
  }

  private static Rotation rotation(java.util.function.Consumer<Rotation> settings) {
    Rotation rotation = new Rotation();
    rotation.gracePeriod = "20s";
    settings.accept(rotation);
    return rotation;
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, String secret, String readyOnlyWithKey) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(APPS).withName(name).endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withNewMaxSurge(1).withNewMaxUnavailable(0).endRollingUpdate().endStrategy()
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(callerPod(name, secret, readyOnlyWithKey))
        .endSpec().build();
  }

  private io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(String name, String secret) {
    return new StatefulSetBuilder()
        .withNewMetadata().withNamespace(APPS).withName(name).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName(name).withPodManagementPolicy("Parallel")
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(callerPod(name, secret, null))
        .endSpec().build();
  }

  private io.fabric8.kubernetes.api.model.apps.DaemonSet daemonSet(String name, String secret) {
    return new DaemonSetBuilder()
        .withNewMetadata().withNamespace(APPS).withName(name).endMetadata()
        .withNewSpec()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withNewMaxSurge(1).withNewMaxUnavailable(0).endRollingUpdate().endUpdateStrategy()
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(callerPod(name, secret, null))
        .endSpec().build();
  }

  /** A pod of resources/node/caller.py with the Secret as its environment, Ready once a call worked. */
  private PodTemplateSpec callerPod(String app, String secret, String readyOnlyWithKey) {
    ContainerBuilder caller = new ContainerBuilder().withName("caller").withImage(chart.node().imageRef("tools"))
        .withCommand("python3", "/caller/caller.py")
        .addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef().endEnvFrom()
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("REPORT_URL").withValue(calls.url()).endEnv()
        .addNewVolumeMount().withName("caller").withMountPath("/caller").withReadOnly(true).endVolumeMount()
        .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(8080).endHttpGet()
        .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe();
    if (readyOnlyWithKey != null) {
      caller.addNewEnv().withName("READY_ONLY_WITH_KEY").withValue(readyOnlyWithKey).endEnv();
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", app).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(2L)
        .withNewSecurityContext().withRunAsNonRoot(true)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addToContainers(ChartOnNode.restricted(caller))
        .addNewVolume().withName("caller").withNewConfigMap().withName("caller").endConfigMap().endVolume()
        .endSpec().build();
  }

  private static String resource(String path) {
    try (InputStream in = RotationOnNodeE2E.class.getResourceAsStream(path)) {
      return new String(Objects.requireNonNull(in, path).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
