package io.keywarden.reconciler;

import static io.keywarden.testsupport.Awaits.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Consumer;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.backend.KeyInfo;
import io.keywarden.rollout.RestartAnnotation;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation with consumers, on the fabric8 mock API server with an in-memory backend (fast). No
 * Deployment controller runs here: the test writes the Deployment's status as one would. The real
 * node proves the same with real pods.
 */
@EnableKubernetesMockClient(crud = true)
class ConsumerRotationControllerTest {
  static KubernetesClient client;

  final AdjustableClock clock = new AdjustableClock();
  InMemoryKeyBackend backend;
  KeywardenOperator operator;
  String ns;

  @BeforeEach
  void start() {
    Crds.apply(client);
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    backend = new InMemoryKeyBackend(clock);
    client.resource(Fixtures.credentialsSecret(ns, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin")).create();
    operator = KeywardenTestOperator.start(client, ns, p -> backend, (step, ak) -> {}, clock);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  void deployment(String name, String secret) {
    Deployment d = Serialization.unmarshal("metadata: {name: " + name + ", namespace: " + ns + "}\n"
        + "spec: {replicas: 2, selector: {matchLabels: {app: " + name + "}}, template: {metadata: {labels: {app: " + name + "}},"
        + " spec: {containers: [{name: app, image: app, envFrom: [{secretRef: {name: " + secret + "}}]}]}}}", Deployment.class);
    client.resource(d).create(); // no status: its controller never reported a finished rollout
  }

  /** What the Deployment controller writes once every pod runs the current template. */
  void rolledOut(String name, int replicas) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).withReadyReplicas(replicas).build());
    client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
  }

  AccessKey accessKey(String name, Rotation rotation) {
    AccessKey accessKey = Fixtures.accessKey(ns, name, "aws", "bob");
    accessKey.getSpec().rotation = rotation;
    client.resource(accessKey).create();
    return awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  static Rotation consumers(String grace, Consumer... named) {
    Rotation rotation = new Rotation();
    rotation.gracePeriod = grace;
    rotation.consumers = named.length == 0 ? null : List.of(named);
    rotation.discoverConsumers = named.length == 0 ? true : null;
    return rotation;
  }

  String restartAnnotation(String deployment, String accessKey) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(deployment).get();
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(RestartAnnotation.key(accessKey));
  }

  @Test
  void theOldKeyStaysUntilTheConsumersRolledOutThenForTheGracePeriod() {
    deployment("app", "billing");
    deployment("unrelated", "other");
    String first = accessKey("billing", consumers("1s")).getStatus().accessKeyId;
    assertThat(restartAnnotation("app", "billing")).as("the first key restarts nothing").isNull();

    Edits.rotate(client, ns, "billing", "1");

    AccessKey rollingOut = awaitKey("billing", ak -> "RollingOut".equals(rotatingReason(ak))
        && rotatingMessage(ak).contains("Deployment/app 0/2 updated"));
    assertThat(restartAnnotation("app", "billing")).isEqualTo("2");
    assertThat(restartAnnotation("unrelated", "billing")).isNull();
    assertThat(rollingOut.getStatus().previousAccessKeyId).isEqualTo(first);
    assertThat(rollingOut.getStatus().previousRetireAt).as("not known before the rollout").isNull();
    assertThat(rollingOut.getStatus().rollout.startedAt).isNotNull();
    // the Deployment has not rolled out: however long that takes, the old key works
    clock.advance(Duration.ofMinutes(20));
    awaitKey("billing", ak -> rotatingMessage(ak).contains("Deployment/app"));
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).contains(first);

    rolledOut("app", 2);

    AccessKey settled = awaitKey("billing", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(settled.getStatus().rollout.finishedAt).isNotNull();
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(settled.getStatus().accessKeyId);
    soon().untilAsserted(() -> {
      assertThat(events("ConsumersRestarted")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("Deployment/app"));
      assertThat(events("ConsumersRolledOut")).hasSize(1);
    });
  }

  @Test
  void aStalledRolloutKeepsTheOldKeyAndSaysSo() {
    deployment("app", "billing");
    Rotation rotation = consumers("1s", new Consumer(WorkloadKind.Deployment, "app"));
    rotation.rolloutTimeout = "30m";
    String first = accessKey("billing", rotation).getStatus().accessKeyId;
    Edits.rotate(client, ns, "billing", "1");
    awaitKey("billing", ak -> rotatingMessage(ak).contains("Deployment/app 0/2 updated"));

    clock.advance(Duration.ofMinutes(31));

    AccessKey stalled = awaitKey("billing", ak -> "RolloutStalled".equals(rotatingReason(ak)));
    assertThat(rotatingMessage(stalled)).contains("Deployment/app 0/2 updated")
        .contains("previous access key " + first + " stays active until they roll out (it has no expiry)");
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).contains(first);
    soon().untilAsserted(() ->
        assertThat(events("RolloutStalled")).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));

    rolledOut("app", 2); // someone fixed the pods: the rotation completes after all
    awaitKey("billing", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).doesNotContain(first);
  }

  @Test
  void revokeDeactivatesTheOldKeyAtOnceAndRestartsTheConsumers() {
    deployment("app", "billing");
    String first = accessKey("billing", consumers("10m", new Consumer(WorkloadKind.Deployment, "app")))
        .getStatus().accessKeyId;

    Edits.patch(client, ns, "billing", "{\"metadata\":{\"annotations\":{\"" + AccessKey.REVOKE_ANNOTATION + "\":\"leak-1\"}}}");

    AccessKey revoked = awaitKey("billing", ak -> "Revoked".equals(rotatingReason(ak))
        && rotatingMessage(ak).contains("Deployment/app 0/2 updated"));
    assertThat(revoked.getStatus().revocation.accessKeyId).isEqualTo(first);
    assertThat(revoked.getStatus().revocation.replacedBy).isEqualTo(revoked.getStatus().accessKeyId);
    assertThat(revoked.getStatus().revocation.request).isEqualTo("leak-1");
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(revoked.getStatus().accessKeyId);
    assertThat(restartAnnotation("app", "billing")).isEqualTo("2");
    assertThat(rotatingMessage(revoked)).contains("access key " + first + " was revoked").contains("keywarden.io/revoke=leak-1");
    soon().untilAsserted(() ->
        assertThat(events("Revoked")).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));

    rolledOut("app", 2);
    AccessKey after = awaitKey("billing", ak -> !Conditions.isTrue(ak.getStatus().conditions, Conditions.ROTATING));
    assertThat(rotatingReason(after)).isEqualTo("Revoked");
    assertThat(after.getStatus().revision).as("one revocation, one new key").isEqualTo(2);
  }

  List<Event> events(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  static String rotatingReason(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.ROTATING).map(c -> c.getReason()).orElse("");
  }

  static String rotatingMessage(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.ROTATING).map(c -> c.getMessage()).orElse("");
  }

  AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
