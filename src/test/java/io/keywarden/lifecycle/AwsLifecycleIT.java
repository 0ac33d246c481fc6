package io.keywarden.lifecycle;

import static io.keywarden.testsupport.AwsOnRealCluster.credentialsIn;
import static io.keywarden.testsupport.AwsOnRealCluster.message;
import static io.keywarden.testsupport.AwsOnRealCluster.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.reconciler.Conditions;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.provider.BackendFactory;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.AwsCli;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The AWS lifecycle end to end: the operator (production backend factory) on a real API server,
 * keys at a real moto with authentication on, checked with the real AWS CLI side by side.
 */
@Tag("it")
class AwsLifecycleIT {
  static MotoServer moto;
  AwsOnRealCluster cluster;
  KeywardenOperator operator;
  AwsCli cli;
  String user;
  /** The operator's clock: grace periods and expiry pass when the test moves it, not in real time. */
  AdjustableClock clock;

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
    cli = new AwsCli(moto, moto.adminCredentials());
    user = "Bob-" + UUID.randomUUID().toString().substring(0, 6);
    moto.createUser(user);
    clock = new AdjustableClock();
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT, (step, ak) -> {},
        clock);
  }

  @AfterEach
  void tearDown() {
    operator.close();
  }

  @Test
  void theCliSeesKeywardensKeyAsItSeesItsOwn() {
    JsonNode cliKey = cli.json("iam", "create-access-key", "--user-name", user).get("AccessKey");
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "app", "aws", user)).create();
    AccessKey ready = cluster.awaitReady("app");

    List<JsonNode> listed = new ArrayList<>();
    cli.json("iam", "list-access-keys", "--user-name", user).get("AccessKeyMetadata").forEach(listed::add);
    assertThat(listed).hasSize(2);
    JsonNode ours = listed.stream().filter(k -> k.get("AccessKeyId").asText().equals(ready.getStatus().accessKeyId))
        .findFirst().orElseThrow();
    JsonNode theirs = listed.stream().filter(k -> k.get("AccessKeyId").asText().equals(cliKey.get("AccessKeyId").asText()))
        .findFirst().orElseThrow();
    assertThat(ours.get("UserName").asText()).isEqualTo(theirs.get("UserName").asText()).isEqualTo(user);
    assertThat(ours.get("Status").asText()).isEqualTo(theirs.get("Status").asText()).isEqualTo("Active");
    assertThat(ready.getStatus().user).isEqualTo(user);

    Secret secret = cluster.secret("app");
    assertThat(cluster.signs(credentialsIn(secret))).isTrue();
    JsonNode identity = new AwsCli(moto, credentialsIn(secret)).json("sts", "get-caller-identity");
    assertThat(identity.get("Arn").asText()).endsWith(":user/" + user);
  }

  @Test
  void rotatesDeactivatesAndDeletes() {
    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "app", "aws", user);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    cluster.client.resource(accessKey).create();
    String first = cluster.awaitReady("app").getStatus().accessKeyId;
    MotoServer.Credentials firstCredentials = credentialsIn(cluster.secret("app"));

    Edits.rotate(cluster.client, cluster.namespace, "app", "now");
    AccessKey rotated = cluster.awaitKey("app", ak -> ak.getStatus().revision != null && ak.getStatus().revision == 2);
    assertThat(rotated.getStatus().previousAccessKeyId).isEqualTo(first);
    assertThat(keyIds()).containsExactlyInAnyOrder(first, rotated.getStatus().accessKeyId);
    assertThat(cluster.signs(firstCredentials)).as("the old key works during the grace period").isTrue();
    assertThat(cluster.signs(credentialsIn(cluster.secret("app")))).isTrue();

    clock.advance(Duration.ofMinutes(11));
    cluster.awaitKey("app", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(keyIds()).containsExactly(rotated.getStatus().accessKeyId);
    assertThat(cluster.signs(firstCredentials)).as("the old key is gone after the grace period").isFalse();

    Edits.patch(cluster.client, cluster.namespace, "app", "{\"spec\":{\"state\":\"Inactive\"}}");
    cluster.awaitKey("app", ak -> reason(ak).equals("KeyInactive"));
    assertThat(statuses()).containsExactly("Inactive");

    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("app").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get("app") == null);
    assertThat(keyIds()).isEmpty();
  }

  @Test
  void enforcesExpiryBecauseAwsDoesNot() {
    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "short", "aws", user);
    accessKey.getSpec().expiry = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
    cluster.client.resource(accessKey).create();
    AccessKey ready = cluster.awaitReady("short");
    MotoServer.Credentials credentials = credentialsIn(cluster.secret("short"));
    assertThat(ready.getStatus().expiresAt).isEqualTo(accessKey.getSpec().expiry);
    assertThat(cluster.signs(credentials)).as("AWS itself never expires the key").isTrue();

    clock.advance(Duration.ofHours(1).plusMinutes(1));
    AccessKey expired = cluster.awaitKey("short", ak -> reason(ak).equals("Expired"));
    assertThat(message(expired)).contains("expired");
    assertThat(keyIds()).isEmpty();
    assertThat(cluster.signs(credentials)).isFalse();
    assertThat(cluster.secret("short")).isNull();
  }

  @Test
  void reportsTheTwoKeyLimitAndRecoversWhenASlotFrees() {
    String first = cli.json("iam", "create-access-key", "--user-name", user).get("AccessKey").get("AccessKeyId").asText();
    cli.json("iam", "create-access-key", "--user-name", user);
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "third", "aws", user)).create();

    AccessKey limited = cluster.awaitKey("third", ak -> reason(ak).equals("LimitExceeded"));
    assertThat(message(limited)).contains("LimitExceeded");
    assertThat(limited.getStatus().pendingCreate).isNull();

    cli.run("iam", "delete-access-key", "--user-name", user, "--access-key-id", first);
    AccessKey ready = cluster.awaitReady("third");
    assertThat(keyIds()).hasSize(2).contains(ready.getStatus().accessKeyId);
  }

  @Test
  void aMissingUserIsReportedWithoutCreatingAnything() {
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "ghost", "aws", "NoSuchUser")).create();
    AccessKey failed = cluster.awaitKey("ghost", ak -> reason(ak).equals("BackendNotFound"));
    assertThat(message(failed)).contains("NoSuchUser");
    assertThat(failed.getStatus().pendingCreate).isNull();
  }

  @Test
  void providersAreReadyOnlyWithWorkingCredentials() {
    AccessKeyProvider good = await().atMost(Duration.ofSeconds(30)).until(() -> provider("aws"),
        p -> p.getStatus() != null && Conditions.isTrue(p.getStatus().conditions, Conditions.READY));
    assertThat(good.getStatus().identity).endsWith(":user/" + MotoServer.ADMIN_USER);

    cluster.client.resource(Fixtures.credentialsSecret(cluster.namespace, "wrong", "AKIAWRONGWRONGWRONG1", "not-the-secret")).create();
    cluster.client.resource(Fixtures.awsProvider(cluster.namespace, "broken", moto.endpoint().toString(), "wrong")).create();
    AccessKeyProvider broken = await().atMost(Duration.ofSeconds(30)).until(() -> provider("broken"),
        p -> p.getStatus() != null && !p.getStatus().conditions.isEmpty());
    assertThat(Conditions.find(broken.getStatus().conditions, Conditions.READY).orElseThrow().getReason())
        .isEqualTo("AuthenticationFailed");
    assertThat(Conditions.find(broken.getStatus().conditions, Conditions.READY).orElseThrow().getMessage())
        .doesNotContain("not-the-secret");
  }

  @Test
  void outscaleEimReusesTheIamPath() {
    MotoServer.Credentials admin = moto.adminCredentials();
    cluster.client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withNamespace(cluster.namespace).withName("eim-keys").endMetadata()
        .withStringData(Map.of("OSC_ACCESS_KEY", admin.accessKeyId(), "OSC_SECRET_KEY", admin.secretAccessKey().reveal()))
        .build()).create();
    String yaml = """
        apiVersion: keywarden.io/v1alpha1
        kind: AccessKeyProvider
        metadata: {name: eim, namespace: %s}
        spec:
          outscale:
            region: eu-west-2
            api: eim
            endpoint: %s
            credentials: {secretRef: {name: eim-keys}}
        """.formatted(cluster.namespace, moto.endpoint());
    cluster.client.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml,
        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "eim-key", "eim", user)).create();

    AccessKey ready = cluster.awaitReady("eim-key");
    assertThat(keyIds()).containsExactly(ready.getStatus().accessKeyId);
    Secret secret = cluster.secret("eim-key");
    assertThat(AwsOnRealCluster.value(secret, "OSC_ACCESS_KEY")).isEqualTo(ready.getStatus().accessKeyId);
    assertThat(cluster.signs(credentialsIn(secret))).isTrue();
  }

  private AccessKeyProvider provider(String name) {
    return cluster.client.resources(AccessKeyProvider.class).inNamespace(cluster.namespace).withName(name).get();
  }

  private List<String> keyIds() {
    List<String> ids = new ArrayList<>();
    cli.json("iam", "list-access-keys", "--user-name", user).get("AccessKeyMetadata")
        .forEach(k -> ids.add(k.get("AccessKeyId").asText()));
    return ids;
  }

  private List<String> statuses() {
    List<String> statuses = new ArrayList<>();
    cli.json("iam", "list-access-keys", "--user-name", user).get("AccessKeyMetadata")
        .forEach(k -> statuses.add(k.get("Status").asText()));
    return statuses;
  }
}
