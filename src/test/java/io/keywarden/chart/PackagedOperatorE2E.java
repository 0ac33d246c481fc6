package io.keywarden.chart;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static io.keywarden.testsupport.AwsOnRealCluster.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.CredentialsRef;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.SecretValue;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.ServiceAccountKubeconfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The packaged operator (`java -jar`, with the JVM options and the memory and CPU limits of the
 * chart's Deployment) as a separate process, signed in with a real token of the chart's
 * ServiceAccount (so the chart's RBAC and API priority and fairness apply, not cluster-admin),
 * against a real API server, moto and a real MinIO. One operator flow, in steps: it serves probes
 * and metrics, issues working keys on both backends, rotates a MinIO key, survives a kill -9 of
 * itself and a restart of the API server mid-run without leaking a key at either backend, deletes
 * every key at its backend, stops cleanly on SIGTERM, and never logs a secret key.
 */
@Tag("it")
class PackagedOperatorE2E {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  /** MinIO users of the run: keys of each are checked exactly, with mc, after every step. */
  private static final String ALICE = "alice";
  private static final String DAVE = "dave";
  private static final String ERIN = "erin";

  private final Path jar = Path.of(System.getProperty("keywarden.operatorJar"));
  private MotoServer moto;
  private MinioServer minio;
  private AwsOnRealCluster cluster;
  private String release;
  private Path kubeconfig;
  private ContainerJvm jvm;
  private Operator operator;
  /** Every secret key the run handled, by where it came from: none may appear in the operator's log. */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  @Test
  void thePackagedOperatorRunsUnderTheChartsServiceAccount() throws Exception {
    assertThat(jar).exists();
    try (MotoServer motoServer = MotoServer.start(); MinioServer minioServer = MinioServer.start()) {
      moto = motoServer;
      minio = minioServer;
      cluster = new AwsOnRealCluster(moto);
      installChart();
      prepareMinio();

      operator = Operator.start(jar, kubeconfig, release, cluster.namespace, moto, jvm);
      try {
        issuesWorkingKeysOnAwsAndMinio();
        rotatesAMinioKey();
        survivesKillMinusNine();
        survivesAnApiServerRestart();
        deletesEveryKeyAtItsBackend();
        assertFitsTheChartsMemoryLimit();
      } finally {
        operator.stop();
      }
      String output = operator.output();
      assertThat(output).contains("keywarden started");
      secrets.forEach((where, secret) ->
          assertThat(output.contains(secret)).as("the operator's log holds the secret key of %s", where).isFalse());
    }
  }

  /** The chart rendered for a release watching the test namespace, applied; the operator signs in as its ServiceAccount. */
  private void installChart() throws Exception {
    release = "keywarden-" + UUID.randomUUID().toString().substring(0, 6); // contains the chart name: objects are named after the release
    cluster.client.resource(new NamespaceBuilder().withNewMetadata().withName(release).endMetadata().build()).create();
    String yaml = Helm.templateYaml(release, release, "--set-json", "watchNamespaces=[\"" + cluster.namespace + "\"]");
    kubectl("apply", "-f", Helm.tempFile(yaml));
    kubeconfig = serviceAccountKubeconfig(cluster.client, release, release);
    jvm = ContainerJvm.of(cluster.client, yaml);
    secrets.put("moto's admin (the operator's environment)", moto.adminCredentials().secretAccessKey().reveal());
  }

  /** Users with rights on a bucket holding one object, and a provider with MinIO's root credentials. */
  private void prepareMinio() {
    for (String user : List.of(ALICE, DAVE, ERIN)) {
      secrets.put("MinIO user " + user, minio.createUser(user, "readwrite").secretKey().reveal());
    }
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    MinioServer.Credentials root = minio.rootCredentials();
    secrets.put("MinIO's root", root.secretKey().reveal());
    cluster.client.resource(Fixtures.credentialsSecret(cluster.namespace, "minio-admin", root.accessKey(),
        root.secretKey().reveal())).create();
    cluster.client.resource(Fixtures.minioProvider(cluster.namespace, "minio", minio.endpoint().toString(), "minio-admin")).create();
  }

  private void issuesWorkingKeysOnAwsAndMinio() throws Exception {
    moto.createUser("Bob");
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "app", "aws", "Bob")).create();
    AccessKey minioKey = Fixtures.accessKey(cluster.namespace, "m-app", "minio", ALICE);
    minioKey.getSpec().name = "m-app";
    minioKey.getSpec().rotation = new Rotation();
    minioKey.getSpec().rotation.gracePeriod = "2s";
    cluster.client.resource(minioKey).create();

    AccessKey ready = cluster.awaitReady("app");
    assertThat(cluster.signs(credentialsIn(cluster.secret("app")))).isTrue();
    assertThat(ready.getStatus().user).isEqualTo("Bob");
    rememberSecret("app");

    String id = cluster.awaitReady("m-app").getStatus().accessKeyId;
    Secret secret = cluster.secret("m-app");
    assertThat(value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(id);
    assertThat(s3Reads(secret)).as("S3 GetObject signed with m-app's key, at the endpoint its Secret names").isTrue();
    JsonNode info = minio.mc().json("admin", "accesskey", "info", Mc.ALIAS, id);
    assertThat(info.path("parentUser").asText()).isEqualTo(ALICE);
    assertThat(keysAtMinio(ALICE)).containsExactly(id);
    rememberSecret("m-app");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(operator.get("/metrics", operator.metricsPort)).contains("keywarden_access_keys{state=\"Active\"} 2.0"));
  }

  /** The rotate annotation: a new key is published, the old one stops working and is deleted at MinIO. */
  private void rotatesAMinioKey() {
    AccessKey before = cluster.get("m-app");
    Secret oldSecret = cluster.secret("m-app");
    String oldId = before.getStatus().accessKeyId;
    long oldRevision = before.getStatus().revision;

    Edits.rotate(cluster.client, cluster.namespace, "m-app", "e2e-1");
    AccessKey rotated = cluster.awaitKey("m-app", ak -> ak.getStatus().revision != null
        && ak.getStatus().revision == oldRevision + 1 && ak.getStatus().previousAccessKeyId == null
        && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
    String newId = rotated.getStatus().accessKeyId;
    assertThat(newId).isNotEqualTo(oldId);
    Secret newSecret = cluster.secret("m-app");
    assertThat(value(newSecret, "AWS_ACCESS_KEY_ID")).isEqualTo(newId);
    assertThat(s3Reads(newSecret)).as("S3 GetObject signed with the rotated key").isTrue();
    rememberSecret("m-app");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keysAtMinio(ALICE)).containsExactly(newId));
    assertThat(s3Reads(oldSecret)).as("S3 GetObject signed with the key rotated out").isFalse();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(operator.get("/metrics", operator.metricsPort)).contains("keywarden_rotations_total 1.0"));
  }

  /** kill -9 right after new AccessKeys appear, while their creates may be in flight on both backends. */
  private void survivesKillMinusNine() throws Exception {
    AccessKeyProvider ambient = Fixtures.awsProvider(cluster.namespace, "ambient", moto.endpoint().toString(), "unused");
    ambient.getSpec().aws.credentials = null; // the SDK default chain, what IRSA feeds in a cluster
    cluster.client.resource(ambient).create();
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "via-chain", "ambient", "Bob")).create();
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "m-generated", "minio", DAVE)).create();
    String chosen = "E2E" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String chosenSecret = UUID.randomUUID().toString().replace("-", "");
    secrets.put("m-chosen's chosen credentials", chosenSecret);
    cluster.client.resource(new SecretBuilder().withNewMetadata().withNamespace(cluster.namespace).withName("chosen")
        .endMetadata().withStringData(Map.of("accessKey", chosen, "secretKey", chosenSecret)).build()).create();
    AccessKey withChosen = Fixtures.accessKey(cluster.namespace, "m-chosen", "minio", DAVE);
    withChosen.getSpec().credentialsRef = new CredentialsRef();
    withChosen.getSpec().credentialsRef.secretRef = new SecretRef("chosen");
    cluster.client.resource(withChosen).create();
    assertFitsTheChartsMemoryLimit();
    operator.kill();
    operator = Operator.start(jar, kubeconfig, release, cluster.namespace, moto, jvm);

    AccessKey viaChain = cluster.awaitReady("via-chain");
    assertThat(cluster.signs(credentialsIn(cluster.secret("via-chain")))).isTrue();
    rememberSecret("via-chain");
    Set<String> recorded = Set.of(cluster.get("app").getStatus().accessKeyId, viaChain.getStatus().accessKeyId);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keysOf(moto, "Bob")).isEqualTo(recorded));

    String generated = cluster.awaitReady("m-generated").getStatus().accessKeyId;
    assertThat(cluster.awaitReady("m-chosen").getStatus().accessKeyId).isEqualTo(chosen);
    for (String name : List.of("m-generated", "m-chosen")) {
      assertThat(s3Reads(cluster.secret(name))).as("S3 GetObject signed with %s's key", name).isTrue();
      rememberSecret(name);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(keysAtMinio(DAVE)).containsExactlyInAnyOrder(generated, chosen));
    assertThat(keysAtMinio(ALICE)).containsExactly(cluster.get("m-app").getStatus().accessKeyId);
  }

  /** The API server restarts mid-run (same etcd): watches break, the operator must converge. */
  private void survivesAnApiServerRestart() {
    moto.createUser("Carol");
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "during-restart", "aws", "Carol")).create();
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "m-during-restart", "minio", ERIN)).create();
    LocalControlPlane.shared().restartApiServer(Duration.ofSeconds(5));
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("via-chain").delete();
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("m-generated").delete();

    AccessKey afterRestart = cluster.awaitReady("during-restart");
    assertThat(cluster.signs(credentialsIn(cluster.secret("during-restart")))).isTrue();
    rememberSecret("during-restart");
    AccessKey minioAfterRestart = cluster.awaitReady("m-during-restart");
    assertThat(s3Reads(cluster.secret("m-during-restart"))).isTrue();
    rememberSecret("m-during-restart");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(keysOf(moto, "Carol")).containsExactly(afterRestart.getStatus().accessKeyId);
      assertThat(keysOf(moto, "Bob")).containsExactly(cluster.get("app").getStatus().accessKeyId);
      assertThat(keysAtMinio(ERIN)).containsExactly(minioAfterRestart.getStatus().accessKeyId);
      assertThat(keysAtMinio(DAVE)).containsExactly(cluster.get("m-chosen").getStatus().accessKeyId);
      assertThat(keysAtMinio(ALICE)).containsExactly(cluster.get("m-app").getStatus().accessKeyId);
    });
  }

  /** Deleting the AccessKeys deletes their keys at moto and MinIO, and the finalizers let them go. */
  private void deletesEveryKeyAtItsBackend() {
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).list().getItems()).isEmpty();
      assertThat(keysOf(moto, "Bob")).isEmpty();
      assertThat(keysOf(moto, "Carol")).isEmpty();
      for (String user : List.of(ALICE, DAVE, ERIN, minio.rootCredentials().accessKey())) {
        assertThat(keysAtMinio(user)).as("MinIO keys of %s", user).isEmpty();
      }
    });
  }

  /**
   * The operator ran with the chart's JVM options and its memory limit as the JVM's view of the
   * machine (so the heap and MinIO's admin-call cap are what a pod gets); its peak resident memory
   * must fit that limit too.
   */
  private void assertFitsTheChartsMemoryLimit() throws IOException {
    assertThat(operator.process.isAlive()).as("the operator is running (the chart's options exit on OutOfMemoryError)").isTrue();
    long peak = operator.peakResidentBytes();
    System.out.printf("operator pid %d: peak resident memory %d MiB, the chart's limit %d MiB%n",
        operator.process.pid(), peak >> 20, jvm.memoryLimitBytes() >> 20);
    assertThat(peak).as("peak resident memory of the operator").isLessThan(jvm.memoryLimitBytes());
  }

  private void rememberSecret(String accessKeyName) {
    secrets.put("AccessKey " + accessKeyName + " revision " + cluster.get(accessKeyName).getStatus().revision,
        value(cluster.secret(accessKeyName), "AWS_SECRET_ACCESS_KEY"));
  }

  /** Whether MinIO serves an S3 GetObject signed with the Secret's key, at the endpoint the Secret names (as a workload would). */
  private boolean s3Reads(Secret secret) {
    return minio.mc().at(URI.create(value(secret, "AWS_ENDPOINT_URL")))
        .as(value(secret, "AWS_ACCESS_KEY_ID"), SecretValue.of(value(secret, "AWS_SECRET_ACCESS_KEY")))
        .run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT).ok();
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

  private static Set<String> keysOf(MotoServer moto, String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      Set<String> ids = new HashSet<>();
      iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream().map(AccessKeyMetadata::accessKeyId).forEach(ids::add);
      return ids;
    }
  }

  /** A kubeconfig holding a TokenRequest token of the ServiceAccount: the operator signs in as a pod would. */
  private static Path serviceAccountKubeconfig(KubernetesClient admin, String namespace, String name) throws IOException {
    Path file = Files.createTempFile("keywarden-sa-", ".kubeconfig");
    file.toFile().deleteOnExit();
    return ServiceAccountKubeconfig.write(admin, namespace, name, Duration.ofHours(1), file);
  }

  private static void kubectl(String... args) throws IOException, InterruptedException {
    LocalControlPlane plane = LocalControlPlane.shared();
    List<String> command = new ArrayList<>(List.of(plane.kubectl().toString(), "--kubeconfig", plane.kubeconfigPath()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
  }

  /**
   * How the chart's Deployment runs the JVM: its {@code JAVA_TOOL_OPTIONS}, and its container's
   * memory and CPU limits, which a JVM in a container reads from its cgroup and this process is
   * told with {@code -XX:MaxRAM} and {@code -XX:ActiveProcessorCount}. With the chart's defaults
   * (60% of 768Mi) the heap is about 460 MiB: room for two MinIO admin calls at once.
   */
  record ContainerJvm(String javaToolOptions, long memoryLimitBytes, int cpus) {
    static ContainerJvm of(KubernetesClient client, String renderedChart) {
      Deployment deployment = client.load(new ByteArrayInputStream(renderedChart.getBytes(StandardCharsets.UTF_8))).items()
          .stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
          .findFirst().orElseThrow().getValue();
      Map<String, Quantity> limits = container.getResources().getLimits();
      return new ContainerJvm(options, Quantity.getAmountInBytes(limits.get("memory")).longValueExact(),
          Math.max(1, Quantity.getAmountInBytes(limits.get("cpu")).setScale(0, RoundingMode.CEILING).intValueExact()));
    }

    List<String> flags() {
      return List.of("-XX:MaxRAM=" + memoryLimitBytes, "-XX:ActiveProcessorCount=" + cpus);
    }
  }

  /** One run of the operator jar, with its own ports and log file. */
  private static final class Operator {
    final Process process;
    final Path log;
    final int healthPort;
    final int metricsPort;

    private Operator(Process process, Path log, int healthPort, int metricsPort) {
      this.process = process;
      this.log = log;
      this.healthPort = healthPort;
      this.metricsPort = metricsPort;
    }

    static Operator start(Path jar, Path kubeconfig, String release, String watched, MotoServer moto, ContainerJvm jvm)
        throws IOException {
      int healthPort = freePort();
      int metricsPort = freePort();
      Path log = Files.createTempFile("keywarden-operator", ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(jvm.flags());
      command.addAll(List.of("-jar", jar.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("JAVA_TOOL_OPTIONS", jvm.javaToolOptions());
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("KEYWARDEN_NAMESPACE", release);
      builder.environment().put("KEYWARDEN_WATCH_NAMESPACES", watched);
      builder.environment().put("KEYWARDEN_HEALTH_PORT", Integer.toString(healthPort));
      builder.environment().put("KEYWARDEN_METRICS_PORT", Integer.toString(metricsPort));
      builder.environment().put("AWS_ACCESS_KEY_ID", moto.adminCredentials().accessKeyId());
      builder.environment().put("AWS_SECRET_ACCESS_KEY", moto.adminCredentials().secretAccessKey().reveal());
      Operator operator = new Operator(builder.start(), log, healthPort, metricsPort);
      await().atMost(Duration.ofSeconds(60)).until(() -> operator.status("/readyz") == 200);
      assertThat(operator.status("/healthz")).isEqualTo(200);
      return operator;
    }

    int status(String path) {
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException | InterruptedException e) {
        return -1;
      }
    }

    String get(String path, int port) throws IOException, InterruptedException {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The process's peak resident set size (Linux {@code VmHWM}). */
    long peakResidentBytes() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IllegalStateException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: the shutdown hook stops the controllers
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the operator stops on SIGTERM").isTrue();
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
