package io.keywarden.tenancy;

import static io.keywarden.testsupport.AwsOnRealCluster.message;
import static io.keywarden.testsupport.AwsOnRealCluster.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.provider.BackendFactory;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.PythonTools;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.IamException;

/**
 * The IAM policy of docs/policies/aws-iam-keywarden.json, attached to the provider's own IAM user
 * on moto with authentication on: keywarden's whole AWS lifecycle works with it, a policy
 * without one of its actions fails, and the provider's credentials can do nothing else.
 *
 * <p>moto 5.2.5 evaluates a policy's actions but not its {@code Resource} for IAM user calls (it
 * authorizes them against {@code "*"}; see moto/iam/access_control.py), so here the documented
 * Resource (users under the path {@code /keywarden/}) is widened to {@code "*"} and the user scope
 * is enforced by {@code spec.allowedUsers} alone. AWS itself also refuses users outside the path.
 */
@Tag("it")
class AwsLeastPrivilegeIT {
  static final String DOCUMENTED_RESOURCE = "arn:aws:iam::123456789012:user/keywarden/*";
  static MotoServer moto;
  static AwsOnRealCluster cluster;
  static KeywardenOperator operator;
  /** The operator's clock: the grace period passes when the test moves it. */
  static final AdjustableClock CLOCK = new AdjustableClock();
  static String suffix = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    cluster = new AwsOnRealCluster(moto);
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT, (step, ak) -> {},
        CLOCK);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    moto.close();
  }

  @Test
  void theDocumentedPolicyScopesToAUserPath() throws IOException {
    JsonNode statement = documentedPolicy().get("Statement").get(0);
    assertThat(statement.get("Resource").asText()).isEqualTo(DOCUMENTED_RESOURCE);
    assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
  }

  @Test
  void theWholeLifecycleRunsOnThePolicyAndNothingElseDoes() throws IOException {
    MotoServer.Credentials scoped = providerUser("scoped-" + suffix, policyForMoto(null));
    String app = user("/keywarden/", "app-" + suffix);
    String outsider = user("/", "admin-" + suffix);
    AccessKeyProvider provider = provider("scoped", scoped);
    provider.getSpec().allowedUsers = List.of("app-*");
    cluster.client.resource(provider).create();

    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "app", "scoped", app);
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    cluster.client.resource(accessKey).create();
    AccessKey outside = Fixtures.accessKey(cluster.namespace, "outside", "scoped", outsider);
    cluster.client.resource(outside).create();

    String first = cluster.awaitReady("app").getStatus().accessKeyId;
    Edits.rotate(cluster.client, cluster.namespace, "app", "now");
    cluster.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId));
    CLOCK.advance(Duration.ofMinutes(11)); // the grace period is over: the previous key retires
    AccessKey rotated = cluster.awaitKey("app", ak -> ak.getStatus().revision != null && ak.getStatus().revision == 2
        && ak.getStatus().previousAccessKeyId == null);
    assertThat(rotated.getStatus().accessKeyId).isNotEqualTo(first);
    assertThat(keys(app)).extracting(AccessKeyMetadata::accessKeyId).containsExactly(rotated.getStatus().accessKeyId);

    Edits.patch(cluster.client, cluster.namespace, "app", "{\"spec\":{\"state\":\"Inactive\"}}");
    cluster.awaitKey("app", ak -> reason(ak).equals("KeyInactive"));
    assertThat(keys(app)).extracting(k -> k.statusAsString()).containsExactly("Inactive");

    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("app").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get("app") == null);
    assertThat(keys(app)).isEmpty();

    assertThat(message(cluster.awaitKey("outside", ak -> reason(ak).equals("UserNotAllowed"))))
        .contains("spec.user: " + outsider);
    assertThat(keys(outsider)).isEmpty();

    // what a leaked provider credential could try beyond the keys: refused by the backend
    try (IamClient iam = moto.iamClient(scoped)) {
      assertDenied(() -> iam.createUser(r -> r.userName("escalate-" + suffix)));
      assertDenied(() -> iam.putUserPolicy(r -> r.userName("scoped-" + suffix).policyName("more")
          .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}")));
      assertDenied(() -> iam.attachUserPolicy(r -> r.userName("scoped-" + suffix)
          .policyArn("arn:aws:iam::aws:policy/AdministratorAccess")));
      assertDenied(() -> iam.listUsers());
      assertDenied(() -> iam.deleteUser(r -> r.userName(outsider)));
    }
  }

  /** Each action of the policy is needed: without UpdateAccessKey an Inactive key is refused by the backend. */
  @Test
  void withoutOneOfItsActionsTheLifecycleFails() throws IOException {
    MotoServer.Credentials partial = providerUser("partial-" + suffix, policyForMoto("iam:UpdateAccessKey"));
    String app = user("/keywarden/", "partial-app-" + suffix);
    cluster.client.resource(provider("partial", partial)).create();
    AccessKey accessKey = Fixtures.accessKey(cluster.namespace, "partial", "partial", app);
    accessKey.getSpec().state = KeyState.Inactive;
    cluster.client.resource(accessKey).create();

    AccessKey denied = cluster.awaitKey("partial", ak -> reason(ak).equals("AccessDenied"));
    assertThat(message(denied)).contains("iam:UpdateAccessKey");
    assertThat(keys(app)).extracting(k -> k.statusAsString()).containsExactly("Active");
  }

  static JsonNode documentedPolicy() throws IOException {
    return new ObjectMapper().readTree(Files.readString(
        PythonTools.projectRoot().resolve("docs/policies/aws-iam-keywarden.json")));
  }

  /** The documented policy with its Resource widened for moto (see the class comment), optionally without one action. */
  static String policyForMoto(String withoutAction) throws IOException {
    ObjectNode policy = (ObjectNode) documentedPolicy();
    for (JsonNode node : policy.get("Statement")) {
      ObjectNode statement = (ObjectNode) node;
      statement.put("Resource", "*");
      ArrayNode actions = (ArrayNode) statement.get("Action");
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (actions.get(i).asText().equals(withoutAction)) {
          actions.remove(i);
        }
      }
    }
    return policy.toString();
  }

  /** An IAM user holding only the given inline policy, and a key of it for the provider. */
  static MotoServer.Credentials providerUser(String name, String policy) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      iam.createUser(r -> r.userName(name));
      iam.putUserPolicy(r -> r.userName(name).policyName("keywarden").policyDocument(policy));
    }
    return moto.createAccessKey(name);
  }

  static String user(String path, String name) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      iam.createUser(r -> r.path(path).userName(name));
    }
    return name;
  }

  static AccessKeyProvider provider(String name, MotoServer.Credentials credentials) {
    cluster.client.resource(Fixtures.credentialsSecret(cluster.namespace, name + "-credentials",
        credentials.accessKeyId(), credentials.secretAccessKey().reveal())).create();
    return Fixtures.awsProvider(cluster.namespace, name, moto.endpoint().toString(), name + "-credentials");
  }

  static List<AccessKeyMetadata> keys(String user) {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      return iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata();
    }
  }

  static void assertDenied(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(IamException.class,
        e -> assertThat(e.statusCode()).isEqualTo(403));
  }
}
