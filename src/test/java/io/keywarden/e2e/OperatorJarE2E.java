package io.keywarden.e2e;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator (`java -jar`, as the container runs it) against a real API server and
 * moto: it serves health probes, issues a working key, and shuts down cleanly on SIGTERM.
 */
@Tag("it")
class OperatorJarE2E {

  @Test
  void thePackagedJarManagesAccessKeys() throws Exception {
    Path jar = Path.of(System.getProperty("keywarden.operatorJar"));
    assertThat(jar).exists();
    try (MotoServer moto = MotoServer.start()) {
      AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
      moto.createUser("Bob");
      int healthPort = freePort();
      int metricsPort = freePort();
      Path log = Files.createTempFile("keywarden-operator", ".log");
      ProcessBuilder builder = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", LocalControlPlane.shared().kubeconfigPath());
      builder.environment().put("KEYWARDEN_WATCH_NAMESPACES", cluster.namespace);
      builder.environment().put("KEYWARDEN_HEALTH_PORT", Integer.toString(healthPort));
      builder.environment().put("KEYWARDEN_METRICS_PORT", Integer.toString(metricsPort));
      // the SDK default chain (what IRSA and pod identity feed in a cluster) for providers without a secretRef
      builder.environment().put("AWS_ACCESS_KEY_ID", moto.adminCredentials().accessKeyId());
      builder.environment().put("AWS_SECRET_ACCESS_KEY", moto.adminCredentials().secretAccessKey().reveal());
      Process operator = builder.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, healthPort, "/readyz") == 200);
        assertThat(status(http, healthPort, "/healthz")).isEqualTo(200);

        cluster.client.resource(Fixtures.accessKey(cluster.namespace, "app", "aws", "Bob")).create();
        AccessKey ready = cluster.awaitReady("app");
        assertThat(cluster.signs(credentialsIn(cluster.secret("app")))).isTrue();
        assertThat(ready.getStatus().user).isEqualTo("Bob");
        AccessKeyProvider ambient = Fixtures.awsProvider(cluster.namespace, "ambient", moto.endpoint().toString(), "unused");
        ambient.getSpec().aws.credentials = null;
        cluster.client.resource(ambient).create();
        cluster.client.resource(Fixtures.accessKey(cluster.namespace, "via-chain", "ambient", "Bob")).create();
        assertThat(cluster.signs(credentialsIn(cluster.secret(cluster.awaitReady("via-chain").getMetadata().getName())))).isTrue();

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("keywarden_access_keys{state=\"Active\"} 2.0").contains("operator_sdk_reconciliations");
      } finally {
        operator.destroy(); // SIGTERM: the shutdown hook stops the controllers
        assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("the operator stops on SIGTERM").isTrue();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(output).contains("keywarden started");
      String secret = AwsOnRealCluster.value(cluster.secret("app"), "AWS_SECRET_ACCESS_KEY");
      assertThat(output).doesNotContain(secret);
    }
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
