package io.keywarden.chart;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The packaged operator (`java -jar`, as the container runs it) as a separate process, signed in
 * with a real token of the chart's ServiceAccount (so the chart's RBAC and API priority and
 * fairness apply, not cluster-admin), against a real API server and moto. It serves probes and
 * metrics, issues working keys, survives a kill -9 of itself and a restart of the API server
 * mid-run without leaking a key, and stops cleanly on SIGTERM.
 */
@Tag("it")
class PackagedOperatorE2E {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void thePackagedOperatorRunsUnderTheChartsServiceAccount() throws Exception {
    Path jar = Path.of(System.getProperty("keywarden.operatorJar"));
    assertThat(jar).exists();
    try (MotoServer moto = MotoServer.start()) {
      AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
      moto.createUser("Bob");
      String release = "keywarden-" + UUID.randomUUID().toString().substring(0, 6); // contains the chart name: objects are named after the release
      cluster.client.resource(new NamespaceBuilder().withNewMetadata().withName(release).endMetadata().build()).create();
      String yaml = Helm.templateYaml(release, release, "--set-json", "watchNamespaces=[\"" + cluster.namespace + "\"]");
      kubectl("apply", "-f", Helm.tempFile(yaml));
      Path kubeconfig = serviceAccountKubeconfig(cluster.client, release, release);

      Operator operator = Operator.start(jar, kubeconfig, release, cluster.namespace, moto);
      try {
        cluster.client.resource(Fixtures.accessKey(cluster.namespace, "app", "aws", "Bob")).create();
        AccessKey ready = cluster.awaitReady("app");
        assertThat(cluster.signs(credentialsIn(cluster.secret("app")))).isTrue();
        assertThat(ready.getStatus().user).isEqualTo("Bob");
        assertThat(operator.get("/metrics", operator.metricsPort)).contains("keywarden_access_keys{state=\"Active\"} 1.0");

        AccessKeyProvider ambient = Fixtures.awsProvider(cluster.namespace, "ambient", moto.endpoint().toString(), "unused");
        ambient.getSpec().aws.credentials = null; // the SDK default chain, what IRSA feeds in a cluster
        cluster.client.resource(ambient).create();
        cluster.client.resource(Fixtures.accessKey(cluster.namespace, "via-chain", "ambient", "Bob")).create();
        operator.kill(); // mid-run, while the second key may be in flight
        operator = Operator.start(jar, kubeconfig, release, cluster.namespace, moto);

        AccessKey viaChain = cluster.awaitReady("via-chain");
        assertThat(cluster.signs(credentialsIn(cluster.secret("via-chain")))).isTrue();
        Set<String> recorded = Set.of(cluster.get("app").getStatus().accessKeyId, viaChain.getStatus().accessKeyId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keysOf(moto, "Bob")).isEqualTo(recorded));

        // the API server restarts mid-run (same etcd): watches break, the operator must converge
        moto.createUser("Carol");
        cluster.client.resource(Fixtures.accessKey(cluster.namespace, "during-restart", "aws", "Carol")).create();
        LocalControlPlane.shared().restartApiServer(Duration.ofSeconds(5));
        cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("via-chain").delete();
        AccessKey afterRestart = cluster.awaitReady("during-restart");
        assertThat(cluster.signs(credentialsIn(cluster.secret("during-restart")))).isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(keysOf(moto, "Carol")).containsExactly(afterRestart.getStatus().accessKeyId);
          assertThat(keysOf(moto, "Bob")).containsExactly(cluster.get("app").getStatus().accessKeyId);
        });
      } finally {
        operator.stop();
      }
      String output = operator.output();
      assertThat(output).contains("keywarden started");
      assertThat(output).doesNotContain(AwsOnRealCluster.value(cluster.secret("app"), "AWS_SECRET_ACCESS_KEY"));
    }
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
    String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    Config config = admin.getConfiguration();
    String ca = config.getCaCertData() != null ? config.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: local, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: operator, user: {token: "%s"}}]
        contexts: [{name: operator, context: {cluster: local, user: operator, namespace: "%s"}}]
        current-context: operator
        """.formatted(config.getMasterUrl(), ca, token, namespace);
    Path file = Files.createTempFile("keywarden-sa-", ".kubeconfig");
    file.toFile().deleteOnExit();
    return Files.writeString(file, kubeconfig);
  }

  private static void kubectl(String... args) throws IOException, InterruptedException {
    LocalControlPlane plane = LocalControlPlane.shared();
    List<String> command = new java.util.ArrayList<>(List.of(plane.kubectl().toString(), "--kubeconfig", plane.kubeconfigPath()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
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

    static Operator start(Path jar, Path kubeconfig, String release, String watched, MotoServer moto) throws IOException {
      int healthPort = freePort();
      int metricsPort = freePort();
      Path log = Files.createTempFile("keywarden-operator", ".log");
      ProcessBuilder builder = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile());
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
