package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.Consumer;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restarting consumers on the fabric8 mock API server (fast; the real API server is in ConsumerRestarterIT). */
@EnableKubernetesMockClient(crud = true)
class ConsumerRestarterTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(15);
  static KubernetesClient client;

  String ns;
  ConsumerRestarter restarter;

  @BeforeEach
  void setUp() {
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    restarter = new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW));
  }

  static Rotation named(WorkloadKind kind, String name) {
    Rotation rotation = new Rotation();
    rotation.consumers = List.of(new Consumer(kind, name));
    return rotation;
  }

  static Rotation discovering() {
    Rotation rotation = new Rotation();
    rotation.discoverConsumers = true;
    return rotation;
  }

  <T extends HasMetadata> T create(Class<T> type, String yaml) {
    T workload = Serialization.unmarshal(yaml, type);
    workload.getMetadata().setNamespace(ns);
    return client.resource(workload).create();
  }

  Deployment deployment(String name, String secret) {
    return create(Deployment.class, "metadata: {name: " + name + "}\nspec: {selector: {matchLabels: {app: " + name + "}},"
        + " template: {metadata: {labels: {app: " + name + "}}, spec: {containers: [{name: app, image: app,"
        + " envFrom: [{secretRef: {name: " + secret + "}}]}]}}}");
  }

  String annotation(WorkloadKind kind, String name, String accessKey) {
    HasMetadata workload = new Workloads(client).get(new WorkloadRef(ns, kind, name)).orElseThrow();
    return Workloads.templateAnnotation(workload, RestartAnnotation.key(accessKey));
  }

  String resourceVersion(String deployment) {
    return client.apps().deployments().inNamespace(ns).withName(deployment).get().getMetadata().getResourceVersion();
  }

  @Test
  void aNamedConsumerIsAnnotatedWhenTheWindowCloses() {
    deployment("app", "billing");

    ConsumerRestarter.Restart waiting = restarter.restart(ns, named(WorkloadKind.Deployment, "app"), "billing", "billing", 2, false, T0);
    assertThat(waiting.complete()).isFalse();
    assertThat(waiting.waitUntil()).isEqualTo(T0.plus(WINDOW));
    assertThat(annotation(WorkloadKind.Deployment, "app", "billing")).isNull();

    ConsumerRestarter.Restart done = restarter.restart(ns, named(WorkloadKind.Deployment, "app"), "billing", "billing", 2, false, T0.plus(WINDOW));
    assertThat(done.complete()).isTrue();
    assertThat(done.consumers()).containsExactly(new WorkloadRef(ns, WorkloadKind.Deployment, "app"));
    assertThat(annotation(WorkloadKind.Deployment, "app", "billing")).isEqualTo("2");
  }

  @Test
  void theSameRevisionAgainWritesNothing() {
    deployment("app", "billing");
    restarter.restart(ns, named(WorkloadKind.Deployment, "app"), "billing", "billing", 2, true, T0);
    String before = resourceVersion("app");

    // a new operator process: a fresh dampener, the same status
    ConsumerRestarter afterRestart = new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW));
    ConsumerRestarter.Restart again = afterRestart.restart(ns, named(WorkloadKind.Deployment, "app"), "billing", "billing", 2, false, T0.plusSeconds(60));

    assertThat(again.complete()).isTrue();
    assertThat(resourceVersion("app")).isEqualTo(before);
  }

  @Test
  void twoAccessKeysInOneWindowPatchTheWorkloadOnce() {
    deployment("app", "billing");
    Rotation rotation = named(WorkloadKind.Deployment, "app");
    String before = resourceVersion("app");

    restarter.restart(ns, rotation, "billing", "billing", 2, false, T0);
    restarter.restart(ns, rotation, "reports", "reports", 5, false, T0.plusSeconds(10));
    assertThat(resourceVersion("app")).as("nothing written inside the window").isEqualTo(before);

    restarter.restart(ns, rotation, "billing", "billing", 2, false, T0.plus(WINDOW));
    String afterOne = resourceVersion("app");
    assertThat(annotation(WorkloadKind.Deployment, "app", "billing")).isEqualTo("2");
    assertThat(annotation(WorkloadKind.Deployment, "app", "reports")).as("taken along").isEqualTo("5");

    ConsumerRestarter.Restart second = restarter.restart(ns, rotation, "reports", "reports", 5, false, T0.plus(WINDOW).plusSeconds(1));
    assertThat(second.complete()).isTrue();
    assertThat(resourceVersion("app")).as("one patch for both").isEqualTo(afterOne);
  }

  @Test
  void discoveryFindsEveryKindThatReadsTheSecretAndNothingElse() {
    deployment("uses-it", "billing");
    deployment("uses-another", "other");
    create(StatefulSet.class, "metadata: {name: db}\nspec: {serviceName: db, selector: {matchLabels: {app: db}},"
        + " template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db,"
        + " env: [{name: K, valueFrom: {secretKeyRef: {name: billing, key: AWS_ACCESS_KEY_ID}}}]}]}}}");
    create(DaemonSet.class, "metadata: {name: agent}\nspec: {selector: {matchLabels: {app: agent}},"
        + " template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, image: a}],"
        + " volumes: [{name: keys, secret: {secretName: billing}}]}}}");

    ConsumerRestarter.Restart restart = restarter.restart(ns, discovering(), "billing", "billing", 3, true, T0);

    assertThat(restart.consumers()).containsExactlyInAnyOrder(
        new WorkloadRef(ns, WorkloadKind.Deployment, "uses-it"),
        new WorkloadRef(ns, WorkloadKind.StatefulSet, "db"),
        new WorkloadRef(ns, WorkloadKind.DaemonSet, "agent"));
    assertThat(annotation(WorkloadKind.Deployment, "uses-it", "billing")).isEqualTo("3");
    assertThat(annotation(WorkloadKind.StatefulSet, "db", "billing")).isEqualTo("3");
    assertThat(annotation(WorkloadKind.DaemonSet, "agent", "billing")).isEqualTo("3");
    assertThat(annotation(WorkloadKind.Deployment, "uses-another", "billing")).isNull();
  }

  @Test
  void aNamedConsumerThatDoesNotExistIsNoReasonToWait() {
    Rotation rotation = named(WorkloadKind.Deployment, "missing");

    ConsumerRestarter.Restart restart = restarter.restart(ns, rotation, "billing", "billing", 2, false, T0);
    List<WorkloadRollout> progress = restarter.progress(restart.consumers());

    assertThat(restart.complete()).isTrue();
    assertThat(progress).singleElement().satisfies(p -> {
      assertThat(p.name).isEqualTo("missing");
      assertThat(p.done).isTrue();
    });
  }

  @Test
  void namedAndDiscoveredConsumersAreEachRestartedOnce() {
    List<WorkloadRef> selected = ConsumerRestarter.select(ns, withBoth(), List.of(
        new WorkloadRef(ns, WorkloadKind.Deployment, "app"), new WorkloadRef(ns, WorkloadKind.DaemonSet, "agent")));

    assertThat(selected).containsExactly(
        new WorkloadRef(ns, WorkloadKind.Deployment, "app"), new WorkloadRef(ns, WorkloadKind.DaemonSet, "agent"));
  }

  static Rotation withBoth() {
    Rotation rotation = named(WorkloadKind.Deployment, "app");
    rotation.discoverConsumers = true;
    return rotation;
  }
}
