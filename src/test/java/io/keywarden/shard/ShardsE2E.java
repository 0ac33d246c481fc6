package io.keywarden.shard;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.reconciler.Conditions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The packaged operator jar as two processes, the named shard "blue" and the default instance,
 * with user Leases as the chart sets them, on the real control plane and moto. Each user has one
 * AccessKey in each shard. In every round new AccessKeys appear and, at a random moment of their
 * creates, one of the two processes is killed with SIGKILL and started again. Afterwards each
 * user's keys at the backend are exactly those its AccessKeys record. The seed is printed, so a
 * failing run can be repeated.
 */
@Tag("it")
class ShardsE2E {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int ROUNDS = 3;
  private static final int USERS_PER_ROUND = 6;

  private final Path jar = Path.of(System.getProperty("keywarden.operatorJar"));

  @Test
  void killingEitherShardAtRandomMomentsLeavesExactlyTheRecordedKeys() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ShardsE2E seed " + seed);
    Random random = new Random(seed);
    try (MotoServer moto = MotoServer.start()) {
      AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
      Map<String, OperatorJar> running = new LinkedHashMap<>();
      running.put("blue", OperatorJar.start(jar, cluster.namespace, "blue", moto));
      running.put("", OperatorJar.start(jar, cluster.namespace, "", moto));
      Map<String, List<String>> accessKeysOf = new LinkedHashMap<>();
      try {
        for (int round = 0; round < ROUNDS; round++) {
          List<String> roundUsers = new ArrayList<>();
          for (int u = 0; u < USERS_PER_ROUND; u++) {
            String user = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
            moto.createUser(user);
            List<String> names = List.of(user + "-blue", user + "-default");
            accessKeysOf.put(user, names);
            roundUsers.add(user);
            AccessKey inBlue = Fixtures.accessKey(cluster.namespace, names.get(0), "aws", user);
            inBlue.getMetadata().setLabels(Map.of("keywarden.io/shard", "blue"));
            cluster.client.resource(inBlue).create();
            cluster.client.resource(Fixtures.accessKey(cluster.namespace, names.get(1), "aws", user)).create();
          }
          // a random moment once the creates are under way (a fresh JVM takes seconds to its first one)
          await().atMost(Duration.ofSeconds(60)).until(() -> roundUsers.stream().anyMatch(u -> !keysOf(moto, u).isEmpty()));
          Thread.sleep(random.nextInt(400));
          String victim = random.nextBoolean() ? "blue" : "";
          running.get(victim).kill();
          long fences = cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).list().getItems().stream()
              .filter(ak -> ak.getStatus() != null && ak.getStatus().pendingCreate != null).count();
          System.out.printf("ShardsE2E round %d: killed %s with %d create fences open%n", round,
              victim.isEmpty() ? "the default instance" : "shard " + victim, fences);
          running.put(victim, OperatorJar.start(jar, cluster.namespace, victim, moto));
        }

        for (Map.Entry<String, List<String>> entry : accessKeysOf.entrySet()) {
          List<AccessKey> settled = entry.getValue().stream().map(name -> cluster.awaitKey(name, ak ->
              Conditions.isTrue(ak.getStatus().conditions, Conditions.READY) && ak.getStatus().pendingCreate == null))
              .toList();
          Set<String> recorded = settled.stream().map(ak -> ak.getStatus().accessKeyId).collect(Collectors.toSet());
          await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(keysOf(moto, entry.getKey()))
              .as("keys of %s (seed %d)", entry.getKey(), seed).isEqualTo(recorded));
          for (String name : entry.getValue()) {
            assertThat(cluster.signs(credentialsIn(cluster.secret(name)))).as("%s's key works", name).isTrue();
          }
        }
      } finally {
        for (OperatorJar operator : running.values()) {
          operator.kill();
        }
        cluster.deleteNamespace();
      }
    }
  }

  private static Set<String> keysOf(MotoServer moto, String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
          .map(AccessKeyMetadata::accessKeyId).collect(Collectors.toSet());
    }
  }

  /** {@code java -jar} of the operator, with the environment the chart gives a sharded install. */
  private record OperatorJar(Process process, int healthPort) {
    static OperatorJar start(Path jar, String namespace, String shard, MotoServer moto) throws IOException {
      int healthPort = freePort();
      Path log = Files.createTempFile("keywarden-shard-" + (shard.isEmpty() ? "default" : shard), ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("KEYWARDEN_") || k.startsWith("AWS_"));
      builder.environment().put("KUBECONFIG", LocalControlPlane.shared().kubeconfigPath());
      builder.environment().put("KEYWARDEN_NAMESPACE", namespace);
      builder.environment().put("KEYWARDEN_WATCH_NAMESPACES", namespace);
      builder.environment().put("KEYWARDEN_SHARD", shard);
      builder.environment().put("KEYWARDEN_USER_LEASES", "true");
      builder.environment().put("KEYWARDEN_USER_LEASE_DURATION", "5s");
      builder.environment().put("KEYWARDEN_RESYNC_INTERVAL", "10s");
      // few threads: a round's creates take longer, so a random kill lands inside them more often
      builder.environment().put("KEYWARDEN_RECONCILE_THREADS", "2");
      builder.environment().put("KEYWARDEN_HEALTH_PORT", Integer.toString(healthPort));
      builder.environment().put("KEYWARDEN_METRICS_PORT", Integer.toString(freePort()));
      OperatorJar operator = new OperatorJar(builder.start(), healthPort);
      await().atMost(Duration.ofSeconds(90)).until(() -> operator.ready() || !operator.process().isAlive());
      assertThat(operator.process().isAlive()).as("the operator runs; see %s", log).isTrue();
      return operator;
    }

    boolean ready() {
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }

    /** SIGKILL: no shutdown hook, no Lease given up. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
