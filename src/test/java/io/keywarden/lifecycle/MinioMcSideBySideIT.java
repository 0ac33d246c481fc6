package io.keywarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ConfigMapKeyRef;
import io.keywarden.api.v1alpha1.CredentialsRef;
import io.keywarden.api.v1alpha1.PolicyRef;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.SecretValue;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.McKeyInfo;
import io.keywarden.testsupport.MinioServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Side by side through the operator: for each example command of the {@code mc admin accesskey
 * create} reference page (and its --name/--description flags), an AccessKey with the same settings
 * is applied to a real API server and reconciled by keywarden against a real MinIO, the real
 * {@code mc} creates a key with the command's flags, and {@code mc admin accesskey info --json}
 * shows the same fields for both (parent user, name, description, expiration, policy, status). Only
 * the access key id differs, and expirations relative to each key's creation are compared within a
 * minute. Both keys sign S3 requests MinIO accepts.
 */
@Tag("it")
class MinioMcSideBySideIT {
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  private static final String READ_DATA =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
          + "\"Resource\":[\"arn:aws:s3:::data/*\"]}]}";

  private static MinioServer minio;
  private static Mc mc;
  private static KubernetesClient client;
  private static String ns;
  private static KeywardenOperator operator;

  /** A key made by mc: its secret only inside the SecretValue. */
  private record McKey(String accessKey, SecretValue secretKey) {}

  @BeforeAll
  static void start() {
    minio = MinioServer.start();
    mc = minio.mc();
    mc.json("mb", Mc.ALIAS + "/" + BUCKET);
    mc.jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    // the reference page's users, with rights on the bucket (a fresh MinIO per class)
    for (String user : List.of("myaistoruser", "aistoruser", "tester")) {
      minio.createUser(user, "readwrite");
    }
    client = LocalControlPlane.shared().client();
    Crds.apply(client);
    ns = "minio-mc-" + UUID.randomUUID().toString().substring(0, 8);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    MinioServer.Credentials root = minio.rootCredentials();
    client.resource(Fixtures.credentialsSecret(ns, "minio-admin", root.accessKey(), root.secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, "myaistor", minio.endpoint().toString(), "minio-admin")).create();
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null && ns != null) {
      client.namespaces().withName(ns).delete();
    }
    if (minio != null) {
      minio.close();
    }
  }

  @Test
  void keyForTheAuthenticatedUser() {
    // mc admin accesskey create myaistor/
    String byKeywarden = keywardenKey("self", spec -> {});
    McKey byMc = mcCreate(Mc.ALIAS);

    assertThat(McKeyInfo.describing(mc, byKeywarden).path("parentUser").asText()).isEqualTo(minio.rootCredentials().accessKey());
    assertSameInfo(byKeywarden, byMc);
  }

  @Test
  void customAccessKeyAndSecretKeyForTheAuthenticatedUser() {
    // mc admin accesskey create myaistor/ --access-key myaccesskey --secret-key mysecretkey
    client.resource(new SecretBuilder().withNewMetadata().withNamespace(ns).withName("my-chosen-credentials").endMetadata()
        .withStringData(Map.of("accessKey", "myaccesskey", "secretKey", "mysecretkey")).build()).create();
    String byKeywarden = keywardenKey("custom", spec -> {
      spec.credentialsRef = new CredentialsRef();
      spec.credentialsRef.secretRef = new SecretRef("my-chosen-credentials");
    });
    // access keys are unique across users: mc's copy takes another one
    McKey byMc = mcCreate(Mc.ALIAS, "--access-key", "mcaccesskey", "--secret-key", "mcsecretkey");

    assertThat(byKeywarden).isEqualTo("myaccesskey");
    assertSameInfo(byKeywarden, byMc);
  }

  @Test
  void keyForAnotherUserWithLimitedDuration() {
    // mc admin accesskey create myaistor/ myaistoruser --expiry-duration 24h
    String byKeywarden = keywardenKey("user-key-24h", spec -> {
      spec.user = "myaistoruser";
      spec.expiryDuration = "24h";
    });
    McKey byMc = mcCreate(Mc.ALIAS, "myaistoruser", "--expiry-duration", "24h");

    ObjectNode keywardenInfo = McKeyInfo.describing(mc, byKeywarden);
    ObjectNode mcInfo = McKeyInfo.describing(mc, byMc.accessKey());
    // each expires 24h after its own creation, a few seconds apart
    Instant keywardenExpiry = Instant.parse(keywardenInfo.remove("expiration").asText());
    Instant mcExpiry = Instant.parse(mcInfo.remove("expiration").asText());
    assertThat(Duration.between(mcExpiry, keywardenExpiry).abs()).isLessThan(Duration.ofMinutes(1));
    assertThat(keywardenExpiry).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(24)));
    assertThat(keywardenInfo).isEqualTo(mcInfo);
    assertBothWork(byKeywarden, byMc);
  }

  @Test
  void keyForTheAuthenticatedUserThatExpiresOnADate() {
    // mc admin accesskey create myaistor/ --expiry 2027-01-15
    String date = referenceExpiry().toString();
    String byKeywarden = keywardenKey("expiring-key", spec -> spec.expiry = date);
    McKey byMc = mcCreate(Mc.ALIAS, "--expiry", date); // mc runs with TZ=UTC, keywarden's default zone

    assertThat(McKeyInfo.describing(mc, byKeywarden).path("expiration").asText()).isEqualTo(date + "T00:00:00Z");
    assertSameInfo(byKeywarden, byMc);
  }

  @Test
  void keyForAnotherUserWithAPolicy() {
    // mc admin accesskey create myaistor/ aistoruser --policy /path/to/policy.json
    client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName("read-data").endMetadata()
        .addToData("policy.json", READ_DATA).build()).create();
    String byKeywarden = keywardenKey("read-only-key", spec -> {
      spec.user = "aistoruser";
      spec.policyRef = new PolicyRef();
      spec.policyRef.configMapKeyRef = new ConfigMapKeyRef();
      spec.policyRef.configMapKeyRef.name = "read-data";
      spec.policyRef.configMapKeyRef.key = "policy.json";
    });
    McKey byMc = mcCreate(Mc.ALIAS, "aistoruser", "--policy", minio.writeFile("policy.json", READ_DATA).toString());

    JsonNode info = McKeyInfo.describing(mc, byKeywarden);
    assertThat(info.path("policy").toString()).as("the key's own policy, not its user's readwrite")
        .contains("s3:GetObject").doesNotContain("s3:*");
    assertSameInfo(byKeywarden, byMc);
  }

  @Test
  void keyWithANameAndADescription() {
    // mc admin accesskey create myaistor/ tester --name tester-key --description "Access key for tester"
    String byKeywarden = keywardenKey("tester-key", spec -> {
      spec.user = "tester";
      spec.name = "tester-key";
      spec.description = "Access key for tester";
    });
    McKey byMc = mcCreate(Mc.ALIAS, "tester", "--name", "tester-key", "--description", "Access key for tester");

    assertSameInfo(byKeywarden, byMc);
  }

  /**
   * The reference's date while MinIO accepts it (in the future, at most 365 days ahead); once the
   * calendar has moved past that window, a date 30 days ahead in the same format.
   */
  private static LocalDate referenceExpiry() {
    LocalDate reference = LocalDate.parse("2027-01-15");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return reference.isAfter(today.plusDays(1)) && reference.isBefore(today.plusDays(360)) ? reference : today.plusDays(30);
  }

  /** Applies an AccessKey on provider {@code myaistor} shaped by {@code spec}; returns its access key id once Ready. */
  private static String keywardenKey(String name, Consumer<AccessKeySpec> spec) {
    AccessKey accessKey = Fixtures.accessKey(ns, name, "myaistor", null);
    spec.accept(accessKey.getSpec());
    client.resource(accessKey).create();
    return awaitReady(name).getStatus().accessKeyId;
  }

  private static AccessKey awaitReady(String name) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null
                && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  /** Runs {@code mc admin accesskey create <args>}. */
  private static McKey mcCreate(String... args) {
    List<String> command = new ArrayList<>(List.of("admin", "accesskey", "create"));
    command.addAll(List.of(args));
    JsonNode created = mc.json(command.toArray(String[]::new));
    return new McKey(created.path("accessKey").asText(), SecretValue.of(created.path("secretKey").asText()));
  }

  private static void assertSameInfo(String byKeywarden, McKey byMc) {
    assertThat(McKeyInfo.describing(mc, byKeywarden)).isEqualTo(McKeyInfo.describing(mc, byMc.accessKey()));
    assertBothWork(byKeywarden, byMc);
  }

  /** The keywarden key as a workload sees it (its Secret), mc's as mc printed it: both sign an S3 GetObject. */
  private static void assertBothWork(String byKeywarden, McKey byMc) {
    AccessKey accessKey = client.resources(AccessKey.class).inNamespace(ns).list().getItems().stream()
        .filter(ak -> byKeywarden.equals(ak.getStatus().accessKeyId)).findFirst().orElseThrow();
    Secret secret = client.secrets().inNamespace(ns).withName(accessKey.getMetadata().getName()).get();
    assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(byKeywarden);
    assertThat(reads(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID"),
        SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY"))))
        .as("S3 GetObject signed with keywarden's key %s", byKeywarden).isTrue();
    assertThat(reads(byMc.accessKey(), byMc.secretKey())).as("S3 GetObject signed with mc's key %s", byMc.accessKey()).isTrue();
  }

  private static boolean reads(String accessKey, SecretValue secretKey) {
    return mc.as(accessKey, secretKey).run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT).ok();
  }
}
