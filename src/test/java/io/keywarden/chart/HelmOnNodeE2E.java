package io.keywarden.chart;

import static io.keywarden.testsupport.AwsOnRealCluster.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.LocalNode;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The chart installed for real with helm on a real node ({@link LocalNode}): the operator image
 * built by Jib (hack/build-operator-image.sh) runs under the chart's Deployment, probes, security
 * context and RBAC in a namespace that enforces the restricted Pod Security Standard, and manages
 * keys at moto and MinIO, which listen on the node's bridge address (pods reach them there, as
 * they would reach a cloud endpoint). Workloads use the keys through {@code envFrom}.
 *
 * <p>The steps build on each other (one install, one node), in order.
 */
@Tag("it")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmOnNodeE2E {
  private static final String APPS = "apps";
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  private static final Duration SLOW = ChartOnNode.SLOW;

  private ChartOnNode chart;
  private KubernetesClient client;
  private MotoServer moto;
  private MinioServer minio;
  /** AccessKeys of this run and the backend user each holds a key for. */
  private final Map<String, String> awsKeys = new TreeMap<>();
  private final Map<String, String> minioKeys = new TreeMap<>();

  @BeforeAll
  void startNodeAndPeers() {
    chart = ChartOnNode.start(APPS);
    client = chart.client();
    moto = MotoServer.start(LocalNode.BRIDGE_ADDRESS);
    minio = MinioServer.start(LocalNode.BRIDGE_ADDRESS);
  }

  @AfterAll
  void stop() {
    if (minio != null) {
      minio.close();
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
  void helmInstallBecomesReadyThroughItsOwnProbes() {
    chart.install();
    Pod pod = chart.onlyOperatorPod();
    assertThat(ChartOnNode.ready(pod)).isTrue();
    assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    assertThat(pod.getStatus().getContainerStatuses().get(0).getImage())
        .contains(ChartOnNode.IMAGE_REPOSITORY + ":" + ChartOnNode.IMAGE_TAG);
    assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    // the chart's JVM options reach the JVM of the Jib image
    assertThat(client.pods().resource(pod).getLog())
        .contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError");
  }

  @Test
  @Order(2)
  void workloadsMakeSignedCallsWithTheirKeys() {
    MotoServer.Credentials admin = moto.adminCredentials();
    moto.enableAuthentication();
    client.resource(Fixtures.credentialsSecret(APPS, "aws-admin", admin.accessKeyId(), admin.secretAccessKey().reveal())).create();
    client.resource(Fixtures.awsProvider(APPS, "aws", moto.endpoint().toString(), "aws-admin")).create();
    MinioServer.Credentials root = minio.rootCredentials();
    client.resource(Fixtures.credentialsSecret(APPS, "minio-admin", root.accessKey(), root.secretKey().reveal())).create();
    AccessKeyProvider minioProvider = Fixtures.minioProvider(APPS, "minio", minio.endpoint().toString(), "minio-admin");
    client.resource(minioProvider).create();
    minio.createUser("app", "readwrite");
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);

    createAwsKey("app-aws", "app");
    createMinioKey("app-minio", "app");
    awaitAllReady();

    String identity = runsToReady("aws-client", "app-aws", "aws", "sts", "get-caller-identity", "--output", "text");
    assertThat(identity).contains(":user/app");
    String listing = runsToReady("s3-client", "app-minio", "aws", "s3", "ls", "s3://" + BUCKET + "/");
    assertThat(listing).contains(OBJECT);
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  @Test
  @Order(3)
  void deletingAnAccessKeyGarbageCollectsItsSecret() {
    createAwsKey("short-lived", "short-lived");
    awaitAllReady();
    Secret secret = client.secrets().inNamespace(APPS).withName("short-lived").get();
    AccessKey owner = accessKey("short-lived");
    assertThat(secret.getMetadata().getOwnerReferences())
        .anySatisfy(ref -> assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid()));
    assertThat(keysAtMoto("short-lived")).containsExactly(value(secret, "AWS_ACCESS_KEY_ID"));

    client.resource(owner).delete();
    awsKeys.remove("short-lived");
    // keywarden deletes the key at the backend and removes its finalizer; the Secret is left to
    // kube-controller-manager's garbage collector, which follows the owner reference
    client.secrets().inNamespace(APPS).withName("short-lived").waitUntilCondition(s -> s == null, 3, TimeUnit.MINUTES);
    assertThat(accessKey("short-lived")).isNull();
    assertThat(keysAtMoto("short-lived")).isEmpty();
  }

  @Test
  @Order(4)
  void helmUpgradeWithAChangedValueRollsWithoutLosingOrDuplicatingKeys() {
    Map<String, String> before = keyIdsInSecrets();
    String oldPod = chart.onlyOperatorPod().getMetadata().getName();
    chart.helm("upgrade", ChartOnNode.RELEASE, Helm.CHART.toString(), "--namespace", ChartOnNode.OPERATOR_NS, "--reuse-values",
        "--set", "resyncInterval=4m", "--wait", "--timeout", "5m");
    await().atMost(SLOW).until(() -> chart.operatorPods().stream().noneMatch(p -> p.getMetadata().getName().equals(oldPod)));
    Pod pod = chart.onlyOperatorPod();
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("KEYWARDEN_RESYNC_INTERVAL=4m"));
    createAwsKey("after-upgrade", "after-upgrade");
    awaitAllReady();
    assertThat(keyIdsInSecrets()).containsAllEntriesOf(before);
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  @Test
  @Order(5)
  void kubeletKillsAHungOperatorMidWorkAndNothingLeaks() {
    Pod pod = chart.onlyOperatorPod();
    int restarts = pod.getStatus().getContainerStatuses().get(0).getRestartCount();
    List<String> burst = createBurst("hung", 6);
    // the JVM stops answering its liveness probe: after three failures the kubelet kills it
    ChartOnNode.signal("STOP", ChartOnNode.operatorPid(pod));
    createBurst("hung-late", 4).forEach(burst::add);
    client.pods().resource(pod).waitUntilCondition(p -> p != null
        && p.getStatus().getContainerStatuses().get(0).getRestartCount() > restarts, 5, TimeUnit.MINUTES);
    Pod restarted = client.pods().resource(pod).get();
    assertThat(restarted.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()).isNotNull();
    awaitAllReady();
    assertThat(burst).allSatisfy(name -> assertThat(awsKeys).containsKey(name));
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  @Test
  @Order(6)
  void theOtherReplicaTakesOverWhenTheLeaderIsForceDeletedMidBurst() {
    chart.helm("upgrade", ChartOnNode.RELEASE, Helm.CHART.toString(), "--namespace", ChartOnNode.OPERATOR_NS, "--reuse-values",
        "--set", "replicas=2", "--wait", "--timeout", "5m");
    await().atMost(SLOW).until(() -> chart.operatorPods().stream().filter(ChartOnNode::ready).count() == 2);
    String leader = await().atMost(SLOW).until(chart::leaseHolder, h -> h != null
        && chart.operatorPods().stream().anyMatch(p -> p.getMetadata().getName().equals(h)));
    createBurst("failover", 5);
    client.pods().inNamespace(ChartOnNode.OPERATOR_NS).withName(leader).withGracePeriod(0).delete();
    createBurst("failover-late", 5);
    String next = await().atMost(SLOW).until(chart::leaseHolder, h -> h != null && !h.equals(leader));
    assertThat(next).isNotEqualTo(leader);
    awaitAllReady();
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  @Test
  @Order(7)
  void aShardOfTheChartServesItsLabelledAccessKeysAndHandsOneBackWhenRelabelled() {
    chart.helm("upgrade", ChartOnNode.RELEASE, Helm.CHART.toString(), "--namespace", ChartOnNode.OPERATOR_NS, "--reuse-values",
        "--set", "shards[0].name=blue", "--wait", "--timeout", "5m");
    List<String> shardPods = await().atMost(SLOW).until(() -> podNames(AccessKey.SHARD_LABEL + "=blue"), p -> !p.isEmpty());
    moto.createUser("on-blue");
    AccessKey onBlue = Fixtures.accessKey(APPS, "on-blue", "aws", "on-blue");
    onBlue.getMetadata().setLabels(Map.of(AccessKey.SHARD_LABEL, "blue"));
    client.resource(onBlue).create();
    awsKeys.put("on-blue", "on-blue");
    createAwsKey("on-default", "on-default");
    awaitAllReady();

    // each AccessKey was served by its own instance: the events name the pod that recorded them
    List<String> defaultPods = chart.operatorPods().stream().map(p -> p.getMetadata().getName()).toList();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> { // events are sent after the status is written
      assertThat(eventInstances("on-blue")).isNotEmpty().allSatisfy(i -> assertThat(shardPods).contains(i));
      assertThat(eventInstances("on-default")).isNotEmpty().allSatisfy(i -> assertThat(defaultPods).contains(i));
    });
    assertThat(client.secrets().inNamespace(APPS).withName("on-blue").get().getMetadata().getLabels())
        .containsEntry(AccessKey.SHARD_LABEL, "blue");
    assertBackendsHoldExactlyTheKeysSecretsName();

    // relabelled to the default instance: it takes the key over, no second key, none lost
    String keyId = keyIdsInSecrets().get("on-blue");
    client.resources(AccessKey.class).inNamespace(APPS).withName("on-blue")
        .edit(ak -> { ak.getMetadata().getLabels().remove(AccessKey.SHARD_LABEL); return ak; });
    client.secrets().inNamespace(APPS).withName("on-blue").waitUntilCondition(
        sec -> sec != null && !sec.getMetadata().getLabels().containsKey(AccessKey.SHARD_LABEL), 3, TimeUnit.MINUTES);
    assertThat(keyIdsInSecrets()).containsEntry("on-blue", keyId);
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  @Test
  @Order(8)
  void helmUninstallLeavesAccessKeysTheirSecretsAndBackendKeysUntilTheOperatorReturns() {
    chart.helm("uninstall", ChartOnNode.RELEASE, "--namespace", ChartOnNode.OPERATOR_NS, "--wait", "--timeout", "5m");
    await().atMost(SLOW).until(() -> chart.operatorPods().isEmpty());
    // CRDs in the chart's crds/ directory are never deleted by helm, so neither are AccessKeys
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("accesskeys.keywarden.io").get()).isNotNull();
    assertBackendsHoldExactlyTheKeysSecretsName();

    // without the operator, a deleted AccessKey waits on its finalizer and its key stays at the backend
    String keyId = value(client.secrets().inNamespace(APPS).withName("app-aws").get(), "AWS_ACCESS_KEY_ID");
    client.resource(accessKey("app-aws")).delete();
    AccessKey terminating = accessKey("app-aws");
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getFinalizers()).isNotEmpty();
    assertThat(keysAtMoto("app")).containsExactly(keyId);

    // installing again finishes the deletion: the key goes at the backend, the Secret with it
    chart.install();
    await().atMost(SLOW).until(() -> accessKey("app-aws") == null);
    awsKeys.remove("app-aws");
    client.secrets().inNamespace(APPS).withName("app-aws").waitUntilCondition(s -> s == null, 3, TimeUnit.MINUTES);
    assertThat(keysAtMoto("app")).isEmpty();
    assertBackendsHoldExactlyTheKeysSecretsName();
  }

  private void createAwsKey(String name, String user) {
    moto.createUser(user);
    client.resource(Fixtures.accessKey(APPS, name, "aws", user)).create();
    awsKeys.put(name, user);
  }

  private void createMinioKey(String name, String user) {
    client.resource(Fixtures.accessKey(APPS, name, "minio", user)).create();
    minioKeys.put(name, user);
  }

  private List<String> createBurst(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      createAwsKey(name, name);
      names.add(name);
    }
    return names;
  }

  private List<String> podNames(String selector) {
    return client.pods().inNamespace(ChartOnNode.OPERATOR_NS).withLabelSelector(selector).list().getItems().stream()
        .map(p -> p.getMetadata().getName()).toList();
  }

  /** The instances (pod names) that recorded events about an AccessKey. */
  private Set<String> eventInstances(String accessKey) {
    return client.v1().events().inNamespace(APPS).list().getItems().stream()
        .filter(e -> accessKey.equals(e.getInvolvedObject().getName()) && "AccessKey".equals(e.getInvolvedObject().getKind()))
        .map(e -> e.getReportingInstance()).collect(java.util.stream.Collectors.toSet());
  }

  private AccessKey accessKey(String name) {
    return client.resources(AccessKey.class).inNamespace(APPS).withName(name).get();
  }

  private void awaitAllReady() {
    Set<String> names = new HashSet<>(awsKeys.keySet());
    names.addAll(minioKeys.keySet());
    for (String name : names) {
      await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> accessKey(name),
          ak -> ak != null && ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
    }
  }

  /** The access key id each AccessKey's Secret holds. */
  private Map<String, String> keyIdsInSecrets() {
    Map<String, String> ids = new TreeMap<>();
    Set<String> names = new HashSet<>(awsKeys.keySet());
    names.addAll(minioKeys.keySet());
    for (String name : names) {
      ids.put(name, value(client.secrets().inNamespace(APPS).withName(name).get(), "AWS_ACCESS_KEY_ID"));
    }
    return ids;
  }

  /** Every user's keys at moto and MinIO are exactly those the Secrets name: no orphan, no duplicate, none lost. */
  private void assertBackendsHoldExactlyTheKeysSecretsName() {
    Map<String, String> ids = keyIdsInSecrets();
    awsKeys.forEach((name, user) -> assertThat(keysAtMoto(user)).as("moto keys of %s", user).containsExactly(ids.get(name)));
    minioKeys.forEach((name, user) -> assertThat(keysAtMinio(user)).as("MinIO keys of %s", user).containsExactly(ids.get(name)));
  }

  private Set<String> keysAtMoto(String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      Set<String> ids = new HashSet<>();
      iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
          .map(AccessKeyMetadata::accessKeyId).forEach(ids::add);
      return ids;
    }
  }

  /** The access keys MinIO holds for a user, as {@code mc admin accesskey ls} lists them. */
  private Set<String> keysAtMinio(String user) {
    Set<String> ids = new HashSet<>();
    for (JsonNode line : minio.mc().jsonLines("admin", "accesskey", "ls", Mc.ALIAS, user)) {
      if (user.equals(line.path("user").asText())) {
        line.path("svcaccs").forEach(key -> ids.add(key.path("accessKey").asText()));
      }
    }
    return ids;
  }

  /**
   * A Deployment whose init container runs the command with the AccessKey's Secret as its
   * environment ({@code envFrom}); the pod only becomes Ready when the command succeeded. Returns
   * the command's output.
   */
  private String runsToReady(String name, String secret, String... command) {
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata().withNamespace(APPS).withName(name).endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(true)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addToInitContainers(ChartOnNode.restricted(new ContainerBuilder().withName("call").withImage(chart.node().imageRef("tools"))
            .withCommand(command)
            .addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef().endEnvFrom()))
        .addToContainers(ChartOnNode.restricted(new ContainerBuilder().withName("hold").withImage(chart.node().imageRef("pause"))))
        .endSpec().endTemplate().endSpec().build();
    client.resource(deployment).create();
    client.apps().deployments().inNamespace(APPS).withName(name).waitUntilCondition(d -> d != null
        && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 5, TimeUnit.MINUTES);
    Pod pod = client.pods().inNamespace(APPS).withLabel("app", name).list().getItems().get(0);
    return client.pods().inNamespace(APPS).withName(pod.getMetadata().getName()).inContainer("call").getLog();
  }
}
