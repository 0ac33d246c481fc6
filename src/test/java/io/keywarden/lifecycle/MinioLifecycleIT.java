package io.keywarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.CredentialsRef;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.reconciler.LifecycleStep;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MinIO admin access keys through the operator: a real API server and a real MinIO, checked with
 * the real {@code mc}. Generated and custom credentials, name/description/policy applied in place,
 * state, deletion, and crash recovery on both create paths (Secret first; create, verify, publish).
 */
@Tag("it")
class MinioLifecycleIT {
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  private static final String READ_DATA =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
          + "\"Resource\":[\"arn:aws:s3:::data/*\"]}]}";
  private static final AtomicInteger USERS = new AtomicInteger();

  static MinioServer minio;
  static MinioKeyBackend root;
  KubernetesClient client;
  String ns;
  KeywardenOperator operator;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.start();
    root = MinioKeyBackend.create(MinioBackendConfig.of(
        minio.endpoint(), minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()));
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  @BeforeEach
  void setUp() {
    client = LocalControlPlane.shared().client();
    ns = TestNamespaces.create(client, "minio");
    MinioServer.Credentials admin = minio.rootCredentials();
    client.resource(Fixtures.credentialsSecret(ns, "minio-admin", admin.accessKey(), admin.secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, "minio", minio.endpoint().toString(), "minio-admin")).create();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void generatedKeyIsPublishedAndFollowsTheSpecInPlace() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = newUser();
    AccessKey accessKey = Fixtures.accessKey(ns, "app", "minio", user);
    accessKey.getSpec().name = "app";
    accessKey.getSpec().description = "first";
    client.resource(accessKey).create();

    AccessKey ready = awaitReady("app");
    String id = ready.getStatus().accessKeyId;
    assertThat(keysOf(user)).extracting(KeyInfo::accessKeyId).containsExactly(id);
    Secret secret = client.secrets().inNamespace(ns).withName("app").get();
    assertThat(secret.getData()).containsOnlyKeys(
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL");
    assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(id);
    assertThat(AwsOnRealCluster.value(secret, "AWS_ENDPOINT_URL")).isEqualTo(minio.endpoint().toString());
    assertThat(AwsOnRealCluster.value(secret, "AWS_REGION")).isEqualTo("us-east-1");
    assertThat(AwsOnRealCluster.value(secret, "AWS_DEFAULT_REGION")).isEqualTo("us-east-1");
    assertThat(works(secret)).as("S3 GetObject signed with the Secret's key").isTrue();
    JsonNode info = info(id);
    assertThat(info.path("name").asText()).isEqualTo("app");
    assertThat(info.path("description").asText()).isEqualTo("first");
    assertThat(info.path("impliedPolicy").asBoolean()).isTrue();

    Edits.patch(client, ns, "app", "{\"spec\":{\"name\":\"renamed\",\"description\":\"second\",\"policy\":"
        + quote(READ_DATA) + "}}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode now = info(id);
      assertThat(now.path("name").asText()).isEqualTo("renamed");
      assertThat(now.path("description").asText()).isEqualTo("second");
      assertThat(now.path("impliedPolicy").asBoolean()).isFalse();
      assertThat(now.path("policy").toString()).contains("s3:GetObject");
    });
    assertThat(keysOf(user)).extracting(KeyInfo::accessKeyId).as("applied in place, not by rotation").containsExactly(id);
    assertThat(works(client.secrets().inNamespace(ns).withName("app").get())).isTrue();

    Edits.patch(client, ns, "app", "{\"spec\":{\"state\":\"Inactive\"}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> "off".equals(info(id).path("accountStatus").asText()));
    assertThat(works(client.secrets().inNamespace(ns).withName("app").get())).as("a disabled key is refused").isFalse();
    assertThat(info(id).path("impliedPolicy").asBoolean()).as("disabling kept the policy").isFalse();

    client.resources(AccessKey.class).inNamespace(ns).withName("app").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> keysOf(user).isEmpty());
  }

  @Test
  void customCredentialsFromCredentialsRef() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = newUser();
    String chosen = "CUSTOM" + USERS.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    client.resource(secret("custom", Map.of("accessKey", chosen, "secretKey", "custom-secret-key-123"))).create();
    AccessKey accessKey = Fixtures.accessKey(ns, "custom-key", "minio", user);
    accessKey.getSpec().credentialsRef = new CredentialsRef();
    accessKey.getSpec().credentialsRef.secretRef = new SecretRef("custom");
    client.resource(accessKey).create();

    AccessKey ready = awaitReady("custom-key");
    assertThat(ready.getStatus().accessKeyId).isEqualTo(chosen);
    assertThat(keysOf(user)).extracting(KeyInfo::accessKeyId).containsExactly(chosen);
    Secret secret = client.secrets().inNamespace(ns).withName("custom-key").get();
    assertThat(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY")).isEqualTo("custom-secret-key-123");
    assertThat(works(secret)).isTrue();
  }

  @Test
  void badCustomCredentialsAreRefusedNamingTheField() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = newUser();
    client.resource(secret("short", Map.of("accessKey", "OK-KEY", "secretKey", "short"))).create();
    AccessKey accessKey = Fixtures.accessKey(ns, "bad", "minio", user);
    accessKey.getSpec().credentialsRef = new CredentialsRef();
    accessKey.getSpec().credentialsRef.secretRef = new SecretRef("short");
    client.resource(accessKey).create();

    AccessKey refused = awaitKey("bad", ak -> !ak.getStatus().conditions.isEmpty());
    String message = Conditions.find(refused.getStatus().conditions, Conditions.READY).orElseThrow().getMessage();
    assertThat(message).startsWith("spec.credentialsRef").doesNotContain("short");
    assertThat(keysOf(user)).isEmpty();
    assertThat(client.secrets().inNamespace(ns).withName("bad").get()).isNull();
  }

  @Test
  void unsupportedOrInvalidFieldsAreRefusedNamingTheField() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = newUser();
    Map<String, java.util.function.Consumer<io.keywarden.api.v1alpha1.AccessKeySpec>> cases = new java.util.LinkedHashMap<>();
    cases.put("temporary", spec -> {
      spec.user = null; // temporary credentials are the provider identity's own
      spec.temporary = true;
    });
    cases.put("bad-json", spec -> spec.policy = "{not json");
    cases.put("no-statement", spec -> spec.policy = "{}");
    cases.put("too-long", spec -> spec.policy = "{\"Statement\":[],\"x\":\"" + "a".repeat(2100) + "\"}");
    cases.put("no-configmap", spec -> {
      spec.policyRef = new io.keywarden.api.v1alpha1.PolicyRef();
      spec.policyRef.configMapKeyRef = new io.keywarden.api.v1alpha1.ConfigMapKeyRef();
      spec.policyRef.configMapKeyRef.name = "missing";
      spec.policyRef.configMapKeyRef.key = "p";
    });
    cases.put("bad-name", spec -> spec.name = "1-starts-with-a-digit");
    cases.put("no-credentials", spec -> {
      spec.credentialsRef = new CredentialsRef();
      spec.credentialsRef.secretRef = new SecretRef("missing");
    });
    Map<String, String> fields = Map.of("temporary", "spec.temporary", "bad-json", "spec.policy",
        "no-statement", "spec.policy", "too-long", "spec.policy", "no-configmap", "spec.policyRef",
        "bad-name", "spec.name", "no-credentials", "spec.credentialsRef");
    cases.forEach((name, change) -> {
      AccessKey accessKey = Fixtures.accessKey(ns, name, "minio", user);
      change.accept(accessKey.getSpec());
      client.resource(accessKey).create();
    });
    cases.keySet().forEach(name -> {
      AccessKey refused = awaitKey(name, ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
          .map(c -> "False".equals(c.getStatus()) && c.getMessage().startsWith(fields.get(name))).orElse(false));
      assertThat(refused.getStatus().accessKeyId).as(name).isNull();
    });
    assertThat(keysOf(user)).as("nothing was created").isEmpty();
  }

  /**
   * MinIO refuses expiries less than 15 minutes ahead and its clock cannot be moved, so the
   * operator's clock moves instead: at the date it deletes the key at MinIO and the Secret, and
   * the key no longer signs anything.
   */
  @Test
  void atItsExpiryTheKeyAndItsSecretAreRemoved() {
    AdjustableClock clock = new AdjustableClock();
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT, (step, ak) -> {}, clock);
    String user = newUser();
    AccessKey accessKey = Fixtures.accessKey(ns, "dated", "minio", user);
    accessKey.getSpec().expiry = java.time.Instant.now().plus(Duration.ofMinutes(20))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    client.resource(accessKey).create();
    AccessKey ready = awaitReady("dated");
    Secret secret = client.secrets().inNamespace(ns).withName("dated").get();
    assertThat(works(secret)).isTrue();
    assertThat(java.time.Instant.parse(info(ready.getStatus().accessKeyId).path("expiration").asText()))
        .as("MinIO holds the native expiry").isEqualTo(java.time.Instant.parse(accessKey.getSpec().expiry));

    clock.advance(Duration.ofMinutes(21));
    AccessKey expired = awaitKey("dated", ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .map(c -> "Expired".equals(c.getReason())).orElse(false));
    assertThat(expired.getStatus().accessKeyId).isNull();
    assertThat(keysOf(user)).isEmpty();
    assertThat(client.secrets().inNamespace(ns).withName("dated").get()).isNull();
    assertThat(works(secret)).as("the expired key is refused").isFalse();
  }

  @Test
  void deletionNeedsNoPolicyConfigMap() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = newUser();
    client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withNamespace(ns)
        .withName("policy").endMetadata().addToData("policy.json", READ_DATA).build()).create();
    AccessKey accessKey = Fixtures.accessKey(ns, "restricted", "minio", user);
    accessKey.getSpec().policyRef = new io.keywarden.api.v1alpha1.PolicyRef();
    accessKey.getSpec().policyRef.configMapKeyRef = new io.keywarden.api.v1alpha1.ConfigMapKeyRef();
    accessKey.getSpec().policyRef.configMapKeyRef.name = "policy";
    accessKey.getSpec().policyRef.configMapKeyRef.key = "policy.json";
    client.resource(accessKey).create();
    String id = awaitReady("restricted").getStatus().accessKeyId;
    assertThat(info(id).path("impliedPolicy").asBoolean()).isFalse();

    client.configMaps().inNamespace(ns).withName("policy").delete();
    client.resources(AccessKey.class).inNamespace(ns).withName("restricted").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> keysOf(user).isEmpty()
        && client.resources(AccessKey.class).inNamespace(ns).withName("restricted").get() == null);
  }

  @Test
  void theExampleManifestPassesAdmission() throws Exception {
    List<io.fabric8.kubernetes.api.model.HasMetadata> items;
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("deploy/examples/minio.yaml"))) {
      items = client.load(in).items();
    }
    assertThat(items).extracting(i -> i.getKind()).contains("AccessKeyProvider", "AccessKey", "ConfigMap");
    for (var item : items) {
      item.getMetadata().setNamespace(ns);
      // the provider and its Secret share their names with this class's own
      client.resource(item).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }
    assertThat(client.resources(AccessKey.class).inNamespace(ns).list().getItems()).hasSize(5);
  }

  /**
   * Every point of a create and of a rotation where a crash leaves a distinct state: a fresh
   * operator converges to exactly one key for the user, the one the Secret holds, and it works.
   */
  @ParameterizedTest(name = "{0}, during rotation: {1}")
  @CsvSource({
      "FENCE_WRITTEN, false", "SECRET_WRITTEN, false", "KEY_CREATED, false", "KEY_RECORDED, false",
      "FENCE_WRITTEN, true", "KEY_CREATED, true", "KEY_VERIFIED, true", "SECRET_WRITTEN, true", "KEY_RECORDED, true",
      "PREVIOUS_DEACTIVATED, true", "PREVIOUS_DELETED, true"})
  void aCrashAtAnyStepConvergesToOneWorkingKey(LifecycleStep step, boolean duringRotation) throws Exception {
    crashAndRecover(step, duringRotation);
  }

  /**
   * A first operator stops for good at {@code step} (of the first create, or of a rotation); a
   * fresh one must converge to exactly one key for the user, the one the Secret holds.
   */
  private void crashAndRecover(LifecycleStep step, boolean duringRotation) throws Exception {
    String user = newUser();
    String name = "crash";
    AccessKey accessKey = Fixtures.accessKey(ns, name, "minio", user);
    accessKey.getSpec().rotation = new Rotation();
    // a real second: MinIO's clock is not involved, but a moved operator clock waits for the next FAST drift wake (1-3 s)
    accessKey.getSpec().rotation.gracePeriod = "1s";
    String first = null;
    if (duringRotation) {
      operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
      client.resource(accessKey).create();
      first = awaitReady(name).getStatus().accessKeyId;
      operator.close();
      operator = null;
    }
    Crash crash = Crash.at(step);
    KubernetesClient doomedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = KeywardenTestOperator.start(doomedClient, ns, BackendFactory.CONNECT, crash);
    if (duringRotation) {
      Edits.rotate(client, ns, name, "1");
    } else {
      client.resource(accessKey).create();
    }
    assertThat(crash.awaitReached(60)).isTrue();
    doomedClient.close();
    crash.release();
    doomed.close();
    AccessKey crashed = client.resources(AccessKey.class).inNamespace(ns).withName(name).get();
    boolean fenceHeld = step.compareTo(LifecycleStep.KEY_RECORDED) < 0;
    String fenced = null;
    if (fenceHeld) {
      assertThat(crashed.getStatus().pendingCreate).as("the fence survived the crash").isNotNull();
      fenced = crashed.getStatus().pendingCreate.accessKeyId;
      assertThat(fenced).as("the fence names the chosen key").isNotNull();
    } else {
      assertThat(crashed.getStatus().pendingCreate).as("the key was recorded before the crash").isNull();
    }
    if (step == LifecycleStep.SECRET_WRITTEN && !duringRotation) {
      assertThat(keysOf(user)).as("the Secret was written before the create").isEmpty();
    }

    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    AccessKey ready = awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && ak.getStatus().pendingCreate == null && ak.getStatus().previousAccessKeyId == null
        && (!duringRotation || ak.getStatus().revision == 2));
    String current = ready.getStatus().accessKeyId;
    if (duringRotation) {
      assertThat(current).as("rotated").isNotEqualTo(first);
    }
    boolean published = step == LifecycleStep.SECRET_WRITTEN
        || step == LifecycleStep.KEY_CREATED && !duringRotation; // a first key's Secret is written before it is created
    if (fenceHeld && published) {
      assertThat(current).as("the published key is kept").isEqualTo(fenced);
    } else if (fenceHeld) {
      assertThat(current).as("an unpublished key is never used").isNotEqualTo(fenced);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(keysOf(user)).extracting(KeyInfo::accessKeyId).as("one key, no orphan").containsExactly(current));
    Secret secret = client.secrets().inNamespace(ns).withName(name).get();
    assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(current);
    assertThat(works(secret)).isTrue();
  }

  private static String newUser() {
    return minio.createUser("kwuser" + USERS.incrementAndGet() + "x" + UUID.randomUUID().toString().substring(0, 4),
        "readwrite").accessKey();
  }

  private static List<KeyInfo> keysOf(String user) {
    return root.list(user);
  }

  private static JsonNode info(String accessKey) {
    return minio.mc().json("admin", "accesskey", "info", Mc.ALIAS, accessKey);
  }

  /** Whether an S3 GetObject signed with the Secret's key is accepted. */
  private static boolean works(Secret secret) {
    Mc.Result read = minio.mc().as(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID"),
            SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY")))
        .run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    return read.ok();
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private Secret secret(String name, Map<String, String> values) {
    return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withStringData(values).build();
  }

  private AccessKey awaitReady(String name) {
    return awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  private AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
