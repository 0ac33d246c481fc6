package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.PythonTools;
import io.keywarden.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/policies/minio-keywarden.json as the only policy of the provider's MinIO user, on a real
 * MinIO: keywarden creates, rotates, deactivates and deletes another user's key with it; the same
 * policy without admin:RemoveServiceAccount leaves the AccessKey {@code Ready=False AccessDenied}
 * naming the provider and the key kept (MinIO answers such a delete with "not found"); and the
 * provider's user cannot manage users or policies.
 */
@Tag("it")
class MinioLeastPrivilegeIT {
  static MinioServer minio;
  static MinioKeyBackend root;
  static KubernetesClient client;
  static String ns;
  static KeywardenOperator operator;

  /** A MinIO user holding only a policy, and the AccessKeyProvider that signs as that user. */
  record ProviderUser(String provider, String policy, MinioServer.Credentials credentials) {}

  @BeforeAll
  static void start() {
    minio = MinioServer.start();
    root = MinioKeyBackend.create(MinioBackendConfig.of(
        minio.endpoint(), minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()));
    client = LocalControlPlane.shared().client();
    ns = TestNamespaces.create(client, "minio-least");
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (minio != null) {
      minio.close();
    }
  }

  @Test
  void theLifecycleRunsOnThePolicyAndNothingElseDoes() throws IOException {
    ProviderUser provider = providerUser("least", null);
    String app = user();
    AccessKey accessKey = Fixtures.accessKey(ns, "app", provider.provider(), app);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "1s";
    client.resource(accessKey).create();

    String first = awaitKey("app", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)).getStatus().accessKeyId;
    assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).containsExactly(first);

    Edits.rotate(client, ns, "app", "1");
    String second = awaitKey("app", ak -> ak.getStatus().revision != null && ak.getStatus().revision == 2
        && ak.getStatus().previousAccessKeyId == null).getStatus().accessKeyId;
    assertThat(second).isNotEqualTo(first);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).containsExactly(second));

    Edits.patch(client, ns, "app", "{\"spec\":{\"state\":\"Inactive\"}}");
    awaitKey("app", ak -> reason(ak).equals("KeyInactive"));
    assertThat(root.list(app)).extracting(KeyInfo::status).containsExactly(KeyStatus.INACTIVE);

    client.resources(AccessKey.class).inNamespace(ns).withName("app").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> root.list(app).isEmpty());

    Mc asProvider = minio.mc(provider.credentials());
    assertThat(asProvider.run("admin", "user", "add", Mc.ALIAS, "escalate", "escalate-secret-1").ok())
        .as("the provider's user creates a user").isFalse();
    assertThat(asProvider.run("admin", "policy", "attach", Mc.ALIAS, "consoleAdmin", "--user",
        provider.credentials().accessKey()).ok()).as("the provider's user attaches a policy").isFalse();
    assertThat(asProvider.run("admin", "user", "list", Mc.ALIAS).ok()).as("the provider's user lists users").isFalse();
    assertThat(minio.mc().json("admin", "user", "info", Mc.ALIAS, provider.credentials().accessKey())
        .path("policyName").asText())
        .as("the provider's user holds the documented policy alone").isEqualTo(provider.policy());
  }

  @Test
  void withoutRemoveServiceAccountADeleteIsRefusedAndTheKeyKept() throws IOException {
    ProviderUser provider = providerUser("partial", "admin:RemoveServiceAccount");
    String app = user();
    client.resource(Fixtures.accessKey(ns, "kept", provider.provider(), app)).create();
    String id = awaitKey("kept", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)).getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("kept").delete();
    AccessKey refused = awaitKey("kept", ak -> reason(ak).equals("AccessDenied"));
    String message = Conditions.find(refused.getStatus().conditions, Conditions.READY).orElseThrow().getMessage();
    assertThat(message)
        .contains("AccessKeyProvider/" + ns + "/" + provider.provider())
        .contains("admin:RemoveServiceAccount")
        .contains(id);
    assertThat(refused.getStatus().failedAttempts).as("retried with backoff, counted").isPositive();
    assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).as("the key MinIO refused to delete").containsExactly(id);

    Edits.patch(client, ns, "kept", "{\"spec\":{\"deletionPolicy\":\"Retain\"}}");
    await().atMost(Duration.ofSeconds(60))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("kept").get() == null);
    assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).containsExactly(id);
  }

  /**
   * The documented policy, optionally without one action, created at MinIO under a fresh name, as
   * the only policy of a fresh user; and a provider signing as that user.
   */
  static ProviderUser providerUser(String providerName, String withoutAction) throws IOException {
    ObjectNode policy = (ObjectNode) new ObjectMapper().readTree(Files.readString(
        PythonTools.projectRoot().resolve("docs/policies/minio-keywarden.json")));
    List<String> removed = new java.util.ArrayList<>();
    for (var statement : policy.get("Statement")) {
      ArrayNode actions = (ArrayNode) statement.get("Action");
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (actions.get(i).asText().equals(withoutAction)) {
          removed.add(actions.remove(i).asText());
        }
      }
    }
    assertThat(removed).as("the documented policy has " + withoutAction)
        .hasSize(withoutAction == null ? 0 : 1);
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String policyName = "keywarden-" + suffix;
    minio.createPolicy(policyName, policy.toString());
    MinioServer.Credentials user = minio.createUser("kw-" + providerName + "-" + suffix, policyName);
    String secretName = providerName + "-credentials";
    client.resource(Fixtures.credentialsSecret(ns, secretName, user.accessKey(), user.secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, providerName, minio.endpoint().toString(), secretName)).create();
    return new ProviderUser(providerName, policyName, user);
  }

  static String user() {
    return minio.createUser("app-" + UUID.randomUUID().toString().substring(0, 6), "readwrite").accessKey();
  }

  static String reason(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getReason()).orElse("");
  }

  static AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
