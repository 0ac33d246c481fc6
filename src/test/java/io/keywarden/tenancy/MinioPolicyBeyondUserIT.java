package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A MinIO key policy (spec.policy) wider than its user's rights, on a real MinIO: the key is made
 * and works within its user's rights, the AccessKey says {@code PolicyNarrowed=True} with a
 * warning event naming spec.policy and the action the key cannot do, and a CreateBucket signed
 * with the key (by {@code mc}) is refused; narrowed to the user's rights, the condition turns False.
 */
@Tag("it")
class MinioPolicyBeyondUserIT {
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  private static final String WIDE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"s3:GetObject\",\"s3:CreateBucket\"],\"Resource\":[\"arn:aws:s3:::*\"]}]}";
  private static final String NARROW = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::data/*\"]}]}";

  static MinioServer minio;
  static KubernetesClient client;
  static String ns;
  static KeywardenOperator operator;

  @BeforeAll
  static void start() {
    minio = MinioServer.start();
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    client = LocalControlPlane.shared().client();
    ns = TestNamespaces.create(client, "minio-beyond");
    client.resource(Fixtures.credentialsSecret(ns, "root-credentials", minio.rootCredentials().accessKey(),
        minio.rootCredentials().secretKey().reveal())).create();
    client.resource(Fixtures.minioProvider(ns, "minio", minio.endpoint().toString(), "root-credentials")).create();
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
  void aPolicyWiderThanItsUserIsToldAndTheKeyCannotDoTheRest() {
    String reader = minio.createUser("reader", "readonly").accessKey();
    AccessKey accessKey = Fixtures.accessKey(ns, "wide", "minio", reader);
    accessKey.getSpec().policy = WIDE;
    client.resource(accessKey).create();

    AccessKey told = awaitKey(ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && Conditions.find(ak.getStatus().conditions, "PolicyNarrowed").isPresent());
    Condition narrowed = Conditions.find(told.getStatus().conditions, "PolicyNarrowed").orElseThrow();
    assertThat(narrowed.getStatus()).isEqualTo("True");
    assertThat(narrowed.getReason()).isEqualTo("PolicyBeyondUser");
    assertThat(narrowed.getMessage()).contains("spec.policy", "s3:CreateBucket on arn:aws:s3:::*", "user " + reader)
        .doesNotContain("s3:GetObject");
    await().atMost(Duration.ofSeconds(30)).until(() -> !warnings().isEmpty());
    assertThat(warnings()).extracting(Event::getMessage).containsExactly(narrowed.getMessage());

    Secret secret = client.secrets().inNamespace(ns).withName("wide").get();
    Mc asKey = minio.mc().as(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID"),
        SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY")));
    assertThat(asKey.run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT).ok()).as("GetObject, which both allow").isTrue();
    Mc.Result create = asKey.run("mb", Mc.ALIAS + "/made-by-the-key");
    assertThat(create.ok()).as("CreateBucket, which only spec.policy allows").isFalse();
    assertThat(create.error()).containsIgnoringCase("denied");
    assertThat(minio.mc().run("stat", Mc.ALIAS + "/made-by-the-key").ok()).as("the bucket exists").isFalse();

    Edits.patch(client, ns, "wide", "{\"spec\":{\"policy\":" + quote(NARROW) + "}}");
    Condition within = Conditions.find(awaitKey(ak -> Conditions.find(ak.getStatus().conditions, "PolicyNarrowed")
        .filter(c -> "False".equals(c.getStatus())).isPresent()).getStatus().conditions, "PolicyNarrowed").orElseThrow();
    assertThat(within.getReason()).isEqualTo("PolicyWithinUser");
    assertThat(warnings()).as("no new warning for a policy within the user's rights").hasSize(1);
  }

  static List<Event> warnings() {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && "PolicyBeyondUser".equals(e.getReason())).toList();
  }

  static AccessKey awaitKey(Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName("wide").get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
