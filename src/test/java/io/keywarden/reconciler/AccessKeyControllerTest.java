package io.keywarden.reconciler;

import static io.keywarden.testsupport.Awaits.soon;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.keywarden.KeywardenOperator;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterProviderSpec;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.DeletionPolicy;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.SecretTemplate;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Controller tests: the real operator on the fabric8 mock API server (CRUD mode) with an
 * in-memory backend. Fast; the same behaviours run against moto and a real API server in the
 * integration tests.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class AccessKeyControllerTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  /** The operator's clock: time-driven steps happen when the test moves it. */
  final AdjustableClock clock = new AdjustableClock();
  InMemoryKeyBackend backend;
  KeywardenOperator operator;
  KubernetesClient operatorClient;
  String ns;

  @BeforeAll
  static void crds() {
    Crds.apply(client); // the class's mock server keeps them for every test
  }

  @BeforeEach
  void start() {
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    backend = new InMemoryKeyBackend(clock);
    client.resource(Fixtures.credentialsSecret(ns, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin")).create();
    // fabric8 retries 5xx answers with backoff by default; the failure tests want them at once
    operatorClient = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(1).build()).build();
    operator = KeywardenTestOperator.startClockDriven(operatorClient, ns, StandardBackends.registry(), p -> backend,
        (step, ak) -> {}, clock);
  }

  @AfterEach
  void stop() {
    operator.close();
    operatorClient.close();
  }

  @Test
  void createsTheKeyOnceAndPublishesItForEnvFrom() {
    AccessKey created = client.resource(Fixtures.accessKey(ns, "app", "aws", "bob")).create();

    AccessKey ready = awaitReady("app");
    Secret secret = secret("app");
    assertThat(ready.getStatus().accessKeyId).isEqualTo(value(secret, "AWS_ACCESS_KEY_ID"));
    assertThat(backend.accepts(value(secret, "AWS_ACCESS_KEY_ID"), value(secret, "AWS_SECRET_ACCESS_KEY"))).isTrue();
    assertThat(secret.getData()).containsKeys("AWS_REGION", "AWS_ENDPOINT_URL").doesNotContainKey("AWS_SESSION_TOKEN");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "keywarden");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(SecretRenderer.ACCESS_KEY_ID_ANNOTATION, ready.getStatus().accessKeyId)
        .containsEntry(SecretRenderer.REVISION_ANNOTATION, "1");
    assertThat(ready.getStatus().user).isEqualTo("bob");
    assertThat(ready.getStatus().revision).isEqualTo(1L);
    assertThat(ready.getStatus().pendingCreate).isNull();
    assertThat(ready.getStatus().observedGeneration).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(backend.allKeys()).singleElement().extracting(KeyInfo::user).isEqualTo("bob");
    assertThat(backend.creates()).isEqualTo(1);
  }

  @Test
  void defaultUserIsTheProvidersOwnIdentity() {
    client.resource(Fixtures.accessKey(ns, "mine", "aws", null)).create();
    assertThat(awaitReady("mine").getStatus().user).isEqualTo(InMemoryKeyBackend.SELF);
  }

  @Test
  void rotatesOnTheAnnotationWithAGracePeriod() {
    AccessKey accessKey = Fixtures.accessKey(ns, "rot", "aws", "bob");
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    String first = awaitReady("rot").getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("rot")
        .edit(ak -> { ak.getMetadata().setAnnotations(Map.of(AccessKey.ROTATE_ANNOTATION, "1")); return ak; });

    AccessKey rotated = awaitKey(ak -> ak.getStatus() != null && ak.getStatus().revision != null && ak.getStatus().revision == 2, "rot");
    assertThat(rotated.getStatus().accessKeyId).isNotEqualTo(first);
    assertThat(rotated.getStatus().previousAccessKeyId).isEqualTo(first);
    assertThat(value(secret("rot"), "AWS_ACCESS_KEY_ID")).isEqualTo(rotated.getStatus().accessKeyId);
    assertThat(backend.allKeys()).hasSize(2); // the old key still works during the grace period

    clock.advance(Duration.ofMinutes(11));
    AccessKey settled = awaitKey(ak -> ak.getStatus().previousAccessKeyId == null
        && !Conditions.isTrue(ak.getStatus().conditions, Conditions.ROTATING), "rot");
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(settled.getStatus().accessKeyId);
  }

  @Test
  void appliesStateAndRepairsAKeyDisabledOutside() {
    client.resource(Fixtures.accessKey(ns, "st", "aws", "bob")).create();
    String id = awaitReady("st").getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("st")
        .edit(ak -> { ak.getSpec().state = KeyState.Inactive; return ak; });
    awaitKey(ak -> reason(ak).equals("KeyInactive"), "st");
    assertThat(backend.allKeys()).singleElement().extracting(KeyInfo::status).isEqualTo(KeyStatus.INACTIVE);

    client.resources(AccessKey.class).inNamespace(ns).withName("st")
        .edit(ak -> { ak.getSpec().state = KeyState.Active; return ak; });
    awaitKey(ak -> reason(ak).equals("KeyActive"), "st");
    backend.setStatus("bob", id, KeyStatus.INACTIVE); // someone disables it behind keywarden's back
    awaitBackend(keys -> keys.size() == 1 && keys.get(0).status() == KeyStatus.ACTIVE);
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(id);
  }

  @Test
  void reissuesWhenTheKeyOrTheSecretIsLost() {
    client.resource(Fixtures.accessKey(ns, "drift", "aws", "bob")).create();
    String first = awaitReady("drift").getStatus().accessKeyId;

    backend.delete("bob", first);
    AccessKey repaired = awaitKey(ak -> ak.getStatus().accessKeyId != null && !ak.getStatus().accessKeyId.equals(first), "drift");
    String second = repaired.getStatus().accessKeyId;
    assertThat(value(secret("drift"), "AWS_ACCESS_KEY_ID")).isEqualTo(second);

    client.secrets().inNamespace(ns).withName("drift").delete();
    AccessKey reissued = awaitKey(ak -> ak.getStatus().accessKeyId != null && !ak.getStatus().accessKeyId.equals(second), "drift");
    Secret secret = awaitSecret("drift");
    assertThat(value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(reissued.getStatus().accessKeyId);
    assertThat(backend.accepts(reissued.getStatus().accessKeyId, value(secret, "AWS_SECRET_ACCESS_KEY"))).isTrue();
  }

  @Test
  void neverOverwritesASecretItDoesNotOwn() {
    client.resource(new SecretBuilder().withNewMetadata().withNamespace(ns).withName("taken").endMetadata()
        .withData(Map.of("mine", Base64.getEncoder().encodeToString("keep me".getBytes(StandardCharsets.UTF_8)))).build()).create();
    AccessKey accessKey = Fixtures.accessKey(ns, "clash", "aws", "bob");
    accessKey.getSpec().secret = new SecretTemplate();
    accessKey.getSpec().secret.name = "taken";
    client.resource(accessKey).create();

    AccessKey failed = awaitKey(ak -> reason(ak).equals("SecretConflict"), "clash");
    assertThat(readyMessage(failed)).contains("spec.secret.name").contains("taken");
    assertThat(client.secrets().inNamespace(ns).withName("taken").get().getData()).containsOnlyKeys("mine");
    assertThat(backend.creates()).isZero();
  }

  @Test
  void deletesItsKeysOrRetainsThem() {
    client.resource(Fixtures.accessKey(ns, "gone", "aws", "bob")).create();
    AccessKey retained = Fixtures.accessKey(ns, "kept", "aws", "carol");
    retained.getSpec().deletionPolicy = DeletionPolicy.Retain;
    client.resource(retained).create();
    awaitReady("gone");
    String keptId = awaitReady("kept").getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("gone").delete();
    client.resources(AccessKey.class).inNamespace(ns).withName("kept").delete();

    soon().until(() -> client.resources(AccessKey.class).inNamespace(ns).list().getItems().isEmpty());
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(keptId);
    assertThat(client.secrets().inNamespace(ns).withName("kept").get().getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void aMissingProviderFailsOnlyItsOwnKey() {
    client.resource(Fixtures.accessKey(ns, "orphaned", "nope", "bob")).create();
    client.resource(Fixtures.accessKey(ns, "fine", "aws", "bob")).create();

    AccessKey failed = awaitKey(ak -> reason(ak).equals("ProviderNotFound"), "orphaned");
    assertThat(readyMessage(failed)).contains("spec.provider").contains("nope");
    assertThat(failed.getStatus().failedAttempts).isPositive();
    awaitReady("fine");
  }

  @Test
  void aSecretWriteThatKeepsFailingDeletesTheNewKey() {
    server.expect().post().withPath("/api/v1/namespaces/" + ns + "/secrets")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd unavailable\"}").always();
    client.resource(Fixtures.accessKey(ns, "nowrite", "aws", "bob")).create();

    AccessKey failed = awaitKey(ak -> reason(ak).equals("KubernetesApiError"), "nowrite");
    assertThat(readyMessage(failed)).contains("could not write Secret nowrite").contains("deleted the new access key");
    // each write was one reconcile; after the last the key went (a retry after backoff may be creating its own)
    String deleted = readyMessage(failed).replaceAll(".*deleted the new access key (\\S+).*", "$1");
    assertThat(backend.creates()).isPositive();
    assertThat(backend.allKeys()).extracting(KeyInfo::accessKeyId).doesNotContain(deleted);
    assertThat(failed.getStatus().pendingCreate).matches(fence -> fence == null || !deleted.equals(fence.accessKeyId));
  }

  @Test
  void aChangedSecretTemplateIsAppliedAroundTheSameKey() {
    client.resource(Fixtures.accessKey(ns, "tpl", "aws", "bob")).create();
    String id = awaitReady("tpl").getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("tpl").edit(ak -> {
      ak.getSpec().secret = new SecretTemplate();
      ak.getSpec().secret.keys = Map.of("AWS_ACCESS_KEY_ID", "ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "SECRET_KEY");
      ak.getSpec().secret.labels = Map.of("team", "payments");
      return ak;
    });
    Secret renamed = soon().until(() -> secret("tpl"),
        s -> s.getData().containsKey("SECRET_KEY"));
    assertThat(renamed.getData()).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(renamed.getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(backend.accepts(value(renamed, "ACCESS_KEY"), value(renamed, "SECRET_KEY"))).isTrue();
    assertThat(value(renamed, "ACCESS_KEY")).isEqualTo(id);
    assertThat(backend.creates()).isEqualTo(1);
  }

  @Test
  void aClusterProviderServesOnlyTheNamespacesItAllows() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .withLabels(Map.of("team", "blue")).endMetadata().build()).createOr(NonDeletingOperation::update);
    client.resource(Fixtures.credentialsSecret("keywarden", "shared-admin", "AKIDADMIN", "admin-secret")).create();
    ClusterAccessKeyProvider shared = new ClusterAccessKeyProvider();
    shared.setMetadata(new ObjectMetaBuilder().withName("shared-" + ns).build());
    shared.setSpec(new ClusterProviderSpec());
    shared.getSpec().aws = Fixtures.awsProvider(ns, "x", "http://127.0.0.1:1", "shared-admin").getSpec().aws;
    shared.getSpec().allowedNamespaces = new LabelSelectorBuilder().withMatchLabels(Map.of("team", "green")).build();
    shared.getSpec().allowedUsers = List.of("bob");
    client.resource(shared).create();

    AccessKey viaCluster = Fixtures.accessKey(ns, "shared", "shared-" + ns, "bob");
    viaCluster.getSpec().provider.kind = ProviderKind.ClusterAccessKeyProvider;
    client.resource(viaCluster).create();
    AccessKey refused = awaitKey(ak -> reason(ak).equals("ProviderNotAllowed"), "shared");
    assertThat(readyMessage(refused)).contains("spec.provider").contains(ns);

    client.resources(ClusterAccessKeyProvider.class).withName("shared-" + ns).edit(p -> {
      p.getSpec().allowedNamespaces = new LabelSelectorBuilder().withMatchLabels(Map.of("team", "blue")).build();
      return p;
    });
    awaitReady("shared");
    client.resource(shared).delete();
  }

  @Test
  void secretKeysAppearNowhereButInTheSecret() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AccessKey accessKey = Fixtures.accessKey(ns, "quiet", "aws", "bob");
      accessKey.getSpec().rotation = new Rotation();
      accessKey.getSpec().rotation.gracePeriod = "10m";
      client.resource(accessKey).create();
      awaitReady("quiet");
      client.resources(AccessKey.class).inNamespace(ns).withName("quiet")
          .edit(ak -> { ak.getMetadata().setAnnotations(Map.of(AccessKey.ROTATE_ANNOTATION, "x")); return ak; });
      awaitKey(ak -> ak.getStatus().revision == 2, "quiet");
      clock.advance(Duration.ofMinutes(11)); // the previous key is retired
      awaitKey(ak -> ak.getStatus().previousAccessKeyId == null, "quiet");
      client.secrets().inNamespace(ns).withName("quiet").delete(); // repaired with a third key
      awaitKey(ak -> ak.getStatus().revision == 3, "quiet");
    } finally {
      System.setErr(original);
    }
    String published = value(awaitSecret("quiet"), "AWS_SECRET_ACCESS_KEY");
    List<String> secretsSeen = List.of("secret-akiafake", published);
    String statusJson = Serialization.asJson(client.resources(AccessKey.class).inNamespace(ns).withName("quiet").get());
    String eventsJson = soon().until(() -> Serialization.asJson(client.v1().events().inNamespace(ns).list()),
        json -> json.contains("Rotated") && json.contains("Repaired"));
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(eventsJson).contains("Rotated").contains("Repaired");
    assertThat(logs).contains("Rotated");
    for (String secretText : secretsSeen) {
      assertThat(statusJson).doesNotContain(secretText);
      assertThat(eventsJson).doesNotContain(secretText);
      assertThat(logs).doesNotContain(secretText);
    }
  }

  @Test
  void throttlingIsReportedAndRetriedWithBackoff() {
    AtomicBoolean throttled = new AtomicBoolean(true);
    backend.beforeEachCall(op -> {
      if (throttled.get() && op.equals("create")) {
        throw new BackendException(BackendException.Reason.THROTTLED, "iam:CreateAccessKey: Throttling (HTTP 400)");
      }
    });
    client.resource(Fixtures.accessKey(ns, "slow", "aws", "bob")).create();
    AccessKey failing = awaitKey(ak -> reason(ak).equals("Throttled") && ak.getStatus().failedAttempts >= 2, "slow");
    assertThat(readyMessage(failing)).contains("Throttling");
    assertThat(failing.getStatus().pendingCreate).as("a refused create leaves no fence").isNull();
    assertThat(failing.getStatus().lastFailureTime).isNotNull();

    throttled.set(false);
    AccessKey ready = awaitReady("slow");
    assertThat(ready.getStatus().failedAttempts).isNull();
    assertThat(backend.creates()).isEqualTo(1);
  }

  @Test
  void exposesKeyAndBackendMetrics() {
    AccessKey accessKey = Fixtures.accessKey(ns, "metered", "aws", "bob");
    accessKey.getSpec().expiryDuration = "1h";
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "1m";
    client.resource(accessKey).create();
    awaitReady("metered");
    client.resources(AccessKey.class).inNamespace(ns).withName("metered")
        .edit(ak -> { ak.getMetadata().setAnnotations(Map.of(AccessKey.ROTATE_ANNOTATION, "m")); return ak; });
    awaitKey(ak -> ak.getStatus().revision == 2, "metered");
    clock.advance(Duration.ofMinutes(2)); // the previous key is retired; the new one has most of its hour left
    awaitKey(ak -> ak.getStatus().previousAccessKeyId == null, "metered");

    String scrape = soon().until(() -> operator.metrics().scrape(),
        text -> text.contains("keywarden_access_keys{state=\"Active\"} 1.0"));
    assertThat(scrape).contains("keywarden_rotations_total 1.0")
        .contains("keywarden_orphans_deleted_total 0.0")
        .containsPattern("keywarden_backend_calls_total\\{[^}]*operation=\"create\",outcome=\"success\"[^}]*} 2.0")
        .containsPattern("keywarden_backend_calls_total\\{[^}]*operation=\"delete\",outcome=\"success\"[^}]*} 1.0")
        .containsPattern("keywarden_seconds_until_next_expiry 3[0-9]{3}\\.0")
        .contains("operator_sdk_reconciliations");
  }

  // --- helpers

  AccessKey awaitReady(String name) {
    return awaitKey(ak -> ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY), name);
  }

  AccessKey awaitKey(Predicate<AccessKey> condition, String name) {
    return soon().until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
        ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }

  void awaitBackend(Predicate<List<KeyInfo>> condition) {
    soon().until(() -> condition.test(backend.allKeys()));
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  Secret awaitSecret(String name) {
    return soon().until(() -> secret(name), s -> s != null
        && PublishedSecret.secretAccessKey(s).isPresent());
  }

  static String reason(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getReason()).orElse("");
  }

  static String readyMessage(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getMessage()).orElse("");
  }

  static String value(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
