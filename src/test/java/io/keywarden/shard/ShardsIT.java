package io.keywarden.shard;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.reconciler.LifecycleStep;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.Pause;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * Two operator instances, a named shard and the default one, on the real kube-apiserver + etcd and
 * moto, serving AccessKeys of the same IAM user. A crash is simulated as in CrashRecoveryIT: the
 * instance's client is closed while its reconcile thread is held at a step, so it can write
 * nothing more and its (provider, user) Lease is never given up or renewed, as after kill -9.
 * Afterwards the backend holds exactly the keys the AccessKeys record.
 */
@Tag("it")
class ShardsIT {
  /** Short, so a killed holder's Lease lapses within the test. */
  static final Duration LEASE = Duration.ofSeconds(5);
  static final Shard BLUE = Shard.named("blue");
  static final LifecycleObserver NOTHING = (step, ak) -> {};
  static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  /** Each instance touches only its own AccessKeys; each key is created once. */
  @Test
  void twoInstancesServeDisjointSets() throws Exception {
    AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
    String user = newUser();
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    try (KeywardenOperator blue = start(cluster, BLUE, recorder("blue", seen));
        KeywardenOperator fallback = start(cluster, Shard.DEFAULT, recorder("default", seen))) {
      cluster.client.resource(inShard(Fixtures.accessKey(cluster.namespace, "in-blue", "aws", user), BLUE)).create();
      cluster.client.resource(Fixtures.accessKey(cluster.namespace, "in-default", "aws", user)).create();
      AccessKey inBlue = cluster.awaitReady("in-blue");
      AccessKey inDefault = cluster.awaitReady("in-default");

      assertThat(seen).containsOnlyKeys("blue", "default");
      assertThat(seen.get("blue")).containsExactly("in-blue");
      assertThat(seen.get("default")).containsExactly("in-default");
      assertThat(cluster.secret("in-blue").getMetadata().getLabels()).containsEntry("keywarden.io/shard", "blue");
      assertThat(cluster.secret("in-default").getMetadata().getLabels()).doesNotContainKey("keywarden.io/shard");
      assertThat(keyIds(user)).as("one key per AccessKey, no double create")
          .containsExactlyInAnyOrder(inBlue.getStatus().accessKeyId, inDefault.getStatus().accessKeyId);
    }
  }

  /**
   * The race the Lease is for. The recovering instance finds an interrupted create of its own
   * AccessKey (a fence and an orphan, left by its predecessor's crash) while the other instance is
   * between creating a key of the same user and publishing it. On AWS recovery finds orphans by
   * time, so without exclusion it would delete the other's in-flight key. The holder then either
   * goes on or is killed there.
   */
  @ParameterizedTest(name = "holder in {0}, {1}")
  @CsvSource({"blue, goes on", "blue, is killed", "default, goes on", "default, is killed"})
  void aRecoveryNeverDeletesTheOtherInstancesInFlightKey(String holderShard, String fate) throws Exception {
    AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
    String user = newUser();
    Shard holderIn = holderShard.equals("blue") ? BLUE : Shard.DEFAULT;
    Shard recovererIn = holderIn.isDefault() ? BLUE : Shard.DEFAULT;
    boolean killed = fate.equals("is killed");

    // the recovering shard's predecessor dies between create and publish: fence + orphan
    Crash predecessorDies = Crash.at(LifecycleStep.KEY_CREATED);
    KubernetesClient predecessorClient = newClient(cluster);
    KeywardenOperator predecessor = start(cluster, predecessorClient, recovererIn, predecessorDies);
    cluster.client.resource(inShard(Fixtures.accessKey(cluster.namespace, "recovering", "aws", user), recovererIn)).create();
    assertThat(predecessorDies.awaitReached(60)).isTrue();
    kill(predecessor, predecessorClient, predecessorDies);
    Set<String> orphan = keyIds(user);
    assertThat(orphan).hasSize(1);

    // the holder creates a key of the same user and stops before publishing it, holding the Lease
    Pause holderPauses = Pause.at(LifecycleStep.KEY_CREATED);
    Crash holderDies = Crash.at(LifecycleStep.KEY_CREATED);
    KubernetesClient holderClient = newClient(cluster);
    KeywardenOperator holder = start(cluster, holderClient, holderIn, killed ? holderDies : holderPauses);
    cluster.client.resource(inShard(Fixtures.accessKey(cluster.namespace, "holding", "aws", user), holderIn)).create();
    assertThat(killed ? holderDies.awaitReached(60) : holderPauses.awaitReached(60)).isTrue();
    Set<String> inFlight = new HashSet<>(keyIds(user));
    inFlight.removeAll(orphan);
    assertThat(inFlight).hasSize(1);

    // the recovering shard restarts and finds its fence: it must wait for the Lease
    try (KeywardenOperator recoverer = start(cluster, newClient(cluster), recovererIn, NOTHING)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> leaseWaits(recoverer) >= 1);
      assertThat(keyIds(user)).as("nothing deleted while the holder holds the Lease").containsAll(inFlight);

      KeywardenOperator holderNow = holder;
      if (killed) {
        kill(holder, holderClient, holderDies);
        holderNow = start(cluster, newClient(cluster), holderIn, NOTHING);
      } else {
        holderPauses.release();
      }
      try {
        AccessKey holding = awaitSettled(cluster, "holding");
        AccessKey recovering = awaitSettled(cluster, "recovering");
        if (!killed) {
          assertThat(holding.getStatus().accessKeyId).as("the holder kept the key it created").isIn(inFlight);
          assertThat(holding.getStatus().revision).as("published once").isEqualTo(1L);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keyIds(user))
            .as("exactly the recorded keys: no orphan, none deleted under its holder")
            .containsExactlyInAnyOrder(holding.getStatus().accessKeyId, recovering.getStatus().accessKeyId));
        for (String name : List.of("holding", "recovering")) {
          Secret secret = cluster.secret(name);
          assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(cluster.get(name).getStatus().accessKeyId);
          assertThat(cluster.signs(credentialsIn(secret))).as("%s's key works", name).isTrue();
        }
      } finally {
        holderNow.close();
      }
    }
  }

  /**
   * Relabelling hands an AccessKey over: at rest, the new shard takes the same key (and moves its
   * Secret along); in the middle of a create, the new shard waits for the old one's Lease and then
   * finds the key recorded. Never a second key, never a lost one. The old shard's metrics stop
   * counting the key (a view left there would turn overdue).
   */
  @Test
  void relabellingHandsAnAccessKeyOver() throws Exception {
    AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
    String user = newUser();
    Pause defaultPauses = Pause.at(LifecycleStep.KEY_CREATED, "moving");
    try (KeywardenOperator blue = start(cluster, BLUE, NOTHING);
        KeywardenOperator fallback = start(cluster, Shard.DEFAULT, defaultPauses)) {
      String other = newUser();
      cluster.client.resource(Fixtures.accessKey(cluster.namespace, "staying", "aws", other)).create();
      cluster.awaitReady("staying");
      // in the middle of a create
      cluster.client.resource(Fixtures.accessKey(cluster.namespace, "moving", "aws", user)).create();
      assertThat(defaultPauses.awaitReached(60)).isTrue();
      Set<String> inFlight = keyIds(user);
      assertThat(inFlight).hasSize(1);
      relabel(cluster, "moving", BLUE);
      await().atMost(Duration.ofSeconds(60)).until(() -> leaseWaits(blue) >= 1);
      defaultPauses.release();
      AccessKey moved = awaitSettled(cluster, "moving");
      await().atMost(Duration.ofSeconds(30)).until(() -> "blue".equals(
          cluster.secret("moving").getMetadata().getLabels().get("keywarden.io/shard")));
      assertThat(moved.getStatus().accessKeyId).isIn(inFlight);
      assertThat(keyIds(user)).containsExactlyElementsOf(inFlight);
      await().atMost(Duration.ofSeconds(30)).until(() -> activeKeys(fallback) == 1 && activeKeys(blue) == 1);

      // at rest, back to the default instance
      relabel(cluster, "moving", Shard.DEFAULT);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          !cluster.secret("moving").getMetadata().getLabels().containsKey("keywarden.io/shard"));
      AccessKey back = awaitSettled(cluster, "moving");
      assertThat(back.getStatus().accessKeyId).isEqualTo(moved.getStatus().accessKeyId);
      assertThat(back.getStatus().revision).isEqualTo(moved.getStatus().revision);
      assertThat(keyIds(user)).containsExactlyElementsOf(inFlight);
      assertThat(cluster.signs(credentialsIn(cluster.secret("moving")))).isTrue();
    }
  }

  /**
   * AccessKeys relabelled back and forth while both shards are creating their keys: each still
   * gets exactly one key (published once), and its Secret ends up labelled with its final shard.
   */
  @Test
  void relabellingUnderLoadNeverMakesASecondKey() throws Exception {
    AwsOnRealCluster cluster = new AwsOnRealCluster(moto);
    List<String> users = List.of(newUser(), newUser(), newUser());
    Map<String, String> userOf = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      userOf.put("k" + i, users.get(i / 2)); // two AccessKeys per user: IAM's limit
    }
    try (KeywardenOperator blue = start(cluster, BLUE, NOTHING);
        KeywardenOperator fallback = start(cluster, Shard.DEFAULT, NOTHING)) {
      Map<String, Shard> shardOf = new java.util.LinkedHashMap<>();
      userOf.forEach((name, user) -> {
        Shard first = name.hashCode() % 2 == 0 ? BLUE : Shard.DEFAULT;
        shardOf.put(name, first);
        cluster.client.resource(inShard(Fixtures.accessKey(cluster.namespace, name, "aws", user), first)).create();
      });
      for (int round = 0; round < 3; round++) {
        Thread.sleep(300); // spread the moves over the creates; what is checked is only the end state
        for (String name : userOf.keySet()) {
          if ((name.hashCode() + round) % 3 != 0) {
            Shard next = shardOf.get(name).isDefault() ? BLUE : Shard.DEFAULT;
            relabel(cluster, name, next);
            shardOf.put(name, next);
          }
        }
      }

      for (String user : users) {
        List<String> names = userOf.entrySet().stream().filter(e -> e.getValue().equals(user)).map(Map.Entry::getKey)
            .toList();
        List<AccessKey> settled = names.stream().map(name -> awaitSettled(cluster, name)).toList();
        assertThat(settled).as("%s published once each", names).allSatisfy(ak ->
            assertThat(ak.getStatus().revision).isEqualTo(1L));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keyIds(user))
            .as("the keys of %s are exactly those %s record", user, names)
            .containsExactlyInAnyOrderElementsOf(settled.stream().map(ak -> ak.getStatus().accessKeyId).toList()));
      }
      for (String name : userOf.keySet()) {
        String expected = shardOf.get(name).isDefault() ? null : shardOf.get(name).name();
        await().atMost(Duration.ofSeconds(30)).until(() ->
            java.util.Objects.equals(cluster.secret(name).getMetadata().getLabels().get("keywarden.io/shard"), expected));
        assertThat(cluster.signs(credentialsIn(cluster.secret(name)))).as("%s's key works", name).isTrue();
      }
    }
  }

  private static KeywardenOperator start(AwsOnRealCluster cluster, Shard shard, LifecycleObserver observer) {
    return start(cluster, cluster.client, shard, observer);
  }

  private static KeywardenOperator start(AwsOnRealCluster cluster, KubernetesClient client, Shard shard,
      LifecycleObserver observer) {
    return KeywardenTestOperator.startShard(client, cluster.namespace, shard, LEASE, BackendFactory.CONNECT, observer);
  }

  private static KubernetesClient newClient(AwsOnRealCluster cluster) {
    return new KubernetesClientBuilder().withConfig(cluster.client.getConfiguration()).build();
  }

  /** As kill -9: the client goes first, so the held thread, once let go, can write nothing. */
  private static void kill(KeywardenOperator operator, KubernetesClient client, Crash crash) {
    client.close();
    crash.release();
    operator.close();
  }

  private static AccessKey awaitSettled(AwsOnRealCluster cluster, String name) {
    return cluster.awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && ak.getStatus().pendingCreate == null);
  }

  private static LifecycleObserver recorder(String instance, Map<String, Set<String>> seen) {
    return (step, ak) -> seen.computeIfAbsent(instance, i -> ConcurrentHashMap.newKeySet()).add(ak.getMetadata().getName());
  }

  private static AccessKey inShard(AccessKey accessKey, Shard shard) {
    if (!shard.isDefault()) {
      accessKey.getMetadata().setLabels(Map.of("keywarden.io/shard", shard.name()));
    }
    return accessKey;
  }

  private static void relabel(AwsOnRealCluster cluster, String name, Shard shard) {
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName(name).edit(ak -> {
      Map<String, String> labels = ak.getMetadata().getLabels() == null
          ? new java.util.HashMap<>() : new java.util.HashMap<>(ak.getMetadata().getLabels());
      if (shard.isDefault()) {
        labels.remove("keywarden.io/shard");
      } else {
        labels.put("keywarden.io/shard", shard.name());
      }
      ak.getMetadata().setLabels(labels);
      return ak;
    });
  }

  private static double activeKeys(KeywardenOperator operator) {
    return operator.metrics().registry().get("keywarden_access_keys").tag("state", "Active").gauge().value();
  }

  private static double leaseWaits(KeywardenOperator operator) {
    return operator.metrics().registry().counter("keywarden_user_lease_waits_total").count();
  }

  private static String newUser() {
    String user = "shard-" + UUID.randomUUID().toString().substring(0, 6);
    moto.createUser(user);
    return user;
  }

  private static Set<String> keyIds(String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata().stream()
          .map(AccessKeyMetadata::accessKeyId).collect(Collectors.toSet());
    }
  }
}
