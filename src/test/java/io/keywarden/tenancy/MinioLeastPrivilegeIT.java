package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.DeletionPolicy;
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
 * MinIO: keywarden creates, deactivates and deletes another user's key with it, the policy without
 * one of its actions fails, and the provider's user cannot manage users or policies.
 */
@Tag("it")
class MinioLeastPrivilegeIT {
  static MinioServer minio;
  static MinioKeyBackend root;
  static KubernetesClient client;
  static String ns;
  static KeywardenOperator operator;

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
    MinioServer.Credentials provider = providerUser("keywarden", policy(null));
    String app = user();
    AccessKey accessKey = Fixtures.accessKey(ns, "app", "keywarden", app);
    client.resource(accessKey).create();

    String id = awaitKey("app", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)).getStatus().accessKeyId;
    assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).containsExactly(id);
    Edits.patch(client, ns, "app", "{\"spec\":{\"state\":\"Inactive\"}}");
    awaitKey("app", ak -> reason(ak).equals("KeyInactive"));
    assertThat(root.list(app)).extracting(KeyInfo::status).containsExactly(KeyStatus.INACTIVE);
    client.resources(AccessKey.class).inNamespace(ns).withName("app").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> root.list(app).isEmpty());

    Mc asProvider = minio.mc().as(provider.accessKey(), provider.secretKey());
    assertThat(asProvider.run("admin", "user", "add", Mc.ALIAS, "escalate", "escalate-secret-1").ok()).isFalse();
    assertThat(asProvider.run("admin", "policy", "attach", Mc.ALIAS, "consoleAdmin", "--user", provider.accessKey()).ok())
        .isFalse();
    assertThat(minio.mc().json("admin", "user", "info", Mc.ALIAS, provider.accessKey()).path("policyName").asText())
        .isEqualTo("keywarden");
  }

  @Test
  void withoutOneOfItsActionsTheLifecycleFails() throws IOException {
    providerUser("partial", policy("admin:RemoveServiceAccount"));
    String app = user();
    AccessKey accessKey = Fixtures.accessKey(ns, "partial", "partial", app);
    client.resource(accessKey).create();
    String id = awaitKey("partial", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)).getStatus().accessKeyId;

    client.resources(AccessKey.class).inNamespace(ns).withName("partial").delete();
    awaitKey("partial", ak -> reason(ak).equals("AccessDenied"));
    assertThat(root.list(app)).extracting(KeyInfo::accessKeyId).containsExactly(id);
    Edits.patch(client, ns, "partial", "{\"spec\":{\"deletionPolicy\":\"" + DeletionPolicy.Retain + "\"}}");
  }

  /** The documented policy, optionally without one action, created at MinIO under a fresh name. */
  static String policy(String withoutAction) throws IOException {
    ObjectNode policy = (ObjectNode) new ObjectMapper().readTree(Files.readString(
        PythonTools.projectRoot().resolve("docs/policies/minio-keywarden.json")));
    for (var statement : policy.get("Statement")) {
      ArrayNode actions = (ArrayNode) statement.get("Action");
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (actions.get(i).asText().equals(withoutAction)) {
          actions.remove(i);
        }
      }
    }
    String name = "keywarden-" + UUID.randomUUID().toString().substring(0, 6);
    minio.createPolicy(name, policy.toString());
    return name;
  }

  /** A MinIO user holding only the policy, and an AccessKeyProvider with its credentials. */
  static MinioServer.Credentials providerUser(String providerName, String policy) {
    MinioServer.Credentials user = minio.createUser(providerName + "-" + UUID.randomUUID().toString().substring(0, 6), policy);
    client.resource(Fixtures.credentialsSecret(ns, providerName, user.accessKey(), user.secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, providerName, minio.endpoint().toString(), providerName)).create();
    return user;
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
