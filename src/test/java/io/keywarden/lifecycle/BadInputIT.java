package io.keywarden.lifecycle;

import static io.keywarden.testsupport.AwsOnRealCluster.message;
import static io.keywarden.testsupport.AwsOnRealCluster.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.provider.BackendFactory;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets a clear answer naming the field: a rejection at admission where
 * the schema can tell (OpenAPI + CEL on a real API server), otherwise {@code Ready=False} with a
 * reason, while the operator keeps serving the other AccessKeys.
 */
@Tag("it")
class BadInputIT {
  static MotoServer moto;
  static AwsOnRealCluster cluster;
  static KeywardenOperator operator;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    cluster = new AwsOnRealCluster(moto);
    moto.createUser("Bob");
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT);
  }

  @AfterAll
  static void stop() {
    operator.close();
    moto.close();
  }

  static Stream<Arguments> rejectedAtAdmission() {
    return Stream.of(
        Arguments.of("expiry and expiryDuration", "expiry: '2027-01-15'\nexpiryDuration: 30d", "mutually exclusive"),
        Arguments.of("renewBefore without expiryDuration", "renewBefore: 7d", "spec.renewBefore requires spec.expiryDuration"),
        Arguments.of("malformed duration", "expiryDuration: 30 days", "spec.expiryDuration"),
        Arguments.of("units out of order", "expiryDuration: 5h2d", "spec.expiryDuration"),
        Arguments.of("malformed grace period", "rotation: {gracePeriod: soon}", "spec.rotation.gracePeriod"),
        Arguments.of("malformed expiry", "expiry: next tuesday", "spec.expiry"),
        Arguments.of("unknown state", "state: Paused", "spec.state"),
        Arguments.of("unknown deletion policy", "deletionPolicy: Orphan", "spec.deletionPolicy"),
        Arguments.of("expiryTimeZone without expiry", "expiryTimeZone: Europe/Paris", "spec.expiryTimeZone requires spec.expiry"),
        Arguments.of("policy and policyRef", "policy: '{}'\npolicyRef: {configMapKeyRef: {name: p, key: k}}", "mutually exclusive"),
        Arguments.of("unknown Secret key rename", "secret: {keys: {PASSWORD: X}}", "spec.secret.keys"),
        Arguments.of("invalid Secret name", "secret: {name: Not_Valid}", "spec.secret.name"),
        Arguments.of("temporary credentials for a named user", "temporary: true\nuser: Bob", "spec.temporary"),
        Arguments.of("temporary credentials with a fixed expiry", "temporary: true\nexpiry: '2027-01-15'", "spec.temporary"),
        Arguments.of("inactive temporary credentials", "temporary: true\nstate: Inactive", "spec.temporary"),
        Arguments.of("a consumer named twice", "rotation: {consumers: [{kind: Deployment, name: app}, {kind: Deployment, name: app}]}",
            "spec.rotation.consumers: each workload may be named once"),
        Arguments.of("a consumer of a kind keywarden cannot restart", "rotation: {consumers: [{kind: Job, name: app}]}",
            "spec.rotation.consumers[0].kind"),
        Arguments.of("a consumer without a name", "rotation: {consumers: [{kind: Deployment}]}", "spec.rotation.consumers[0].name"),
        Arguments.of("rolloutTimeout without consumers", "rotation: {rolloutTimeout: 5m}",
            "spec.rotation.rolloutTimeout requires spec.rotation.consumers"),
        Arguments.of("consumers of temporary credentials", "temporary: true\nrotation: {discoverConsumers: true}",
            "do not apply to temporary credentials"),
        Arguments.of("malformed rolloutTimeout", "rotation: {consumers: [{kind: Deployment, name: app}], rolloutTimeout: 1 hour}",
            "spec.rotation.rolloutTimeout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedAtAdmission")
  void theSchemaRejects(String name, String specLines, String expectedInMessage) {
    assertThatThrownBy(() -> cluster.client.resource(accessKey("bad", "provider: {name: aws}\n" + specLines)).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expectedInMessage);
  }

  @Test
  void unknownProviderKindIsRejected() {
    assertThatThrownBy(() -> cluster.client.resource(accessKey("bad", "provider: {name: aws, kind: Issuer}")).create())
        .hasMessageContaining("spec.provider.kind");
  }

  /** An AccessKey manifest as a user writes it: the spec lines are YAML inside {@code spec:}. */
  static GenericKubernetesResource accessKey(String name, String specLines) {
    String yaml = "apiVersion: keywarden.io/v1alpha1\nkind: AccessKey\nmetadata: {name: " + name + ", namespace: "
        + cluster.namespace + "}\nspec:\n  " + specLines.replace("\n", "\n  ") + "\n";
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  @Test
  void providerWithoutBackendIsRejected() {
    String yaml = """
        apiVersion: keywarden.io/v1alpha1
        kind: AccessKeyProvider
        metadata: {name: empty, namespace: %s}
        spec: {}
        """.formatted(cluster.namespace);
    GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    assertThatThrownBy(() -> cluster.client.resource(resource).create())
        .hasMessageContaining("exactly one backend");
  }

  @Test
  void providerWithTwoBackendsIsRejected() {
    String yaml = """
        apiVersion: keywarden.io/v1alpha1
        kind: AccessKeyProvider
        metadata: {name: both, namespace: %s}
        spec:
          aws: {region: us-east-1}
          outscale: {region: eu-west-2, credentials: {secretRef: {name: x}}}
        """.formatted(cluster.namespace);
    assertThatThrownBy(() -> cluster.client.resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create())
        .hasMessageContaining("exactly one backend");
  }

  @Test
  void eimWithLoginPasswordIsRejected() {
    String yaml = """
        apiVersion: keywarden.io/v1alpha1
        kind: AccessKeyProvider
        metadata: {name: eim-login, namespace: %s}
        spec:
          outscale: {region: eu-west-2, api: eim, credentials: {loginSecretRef: {name: x}}}
        """.formatted(cluster.namespace);
    assertThatThrownBy(() -> cluster.client.resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create())
        .hasMessageContaining("spec.outscale.credentials.loginSecretRef");
  }

  @Test
  void providerAndUserAreImmutable() {
    AccessKey created = cluster.client.resource(Fixtures.accessKey(cluster.namespace, "fixed", "aws", "Bob")).create();
    // merge patches carry no resourceVersion: the operator's status writes cannot make them conflict
    assertThatThrownBy(() -> patch("fixed", "{\"spec\":{\"user\":\"Alice\"}}"))
        .hasMessageContaining("spec.user is immutable");
    assertThatThrownBy(() -> patch("fixed", "{\"spec\":{\"provider\":{\"name\":\"other\"}}}"))
        .hasMessageContaining("spec.provider is immutable");
    assertThatThrownBy(() -> patch("fixed", "{\"spec\":{\"user\":null}}"))
        .hasMessageContaining("spec.user is immutable");
    assertThat(created.getSpec().user).isEqualTo("Bob");
  }

  private static void patch(String name, String mergePatch) {
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  static Stream<Arguments> refusedByTheOperator() {
    return Stream.of(
        Arguments.of("past-expiry", "provider: {name: aws}\nuser: Bob\nexpiry: '2024-10-24'", "Expired", "spec.expiry"),
        Arguments.of("bad-zone", "provider: {name: aws}\nuser: Bob\nexpiry: '2030-01-01T10:00'\nexpiryTimeZone: Mars/Olympus", "InvalidSpec", "spec.expiryTimeZone"),
        Arguments.of("impossible-date", "provider: {name: aws}\nuser: Bob\nexpiry: '2030-02-30'", "InvalidSpec", "spec.expiry"),
        Arguments.of("too-short", "provider: {name: aws}\nuser: Bob\nexpiryDuration: 30s", "InvalidSpec", "spec.expiryDuration"),
        Arguments.of("renew-too-early", "provider: {name: aws}\nuser: Bob\nexpiryDuration: 1d\nrenewBefore: 2d", "InvalidSpec", "spec.renewBefore"),
        Arguments.of("no-provider", "provider: {name: missing}\nuser: Bob", "ProviderNotFound", "spec.provider"),
        Arguments.of("bad-user", "provider: {name: aws}\nuser: 'bad name!'", "InvalidSpec", "spec.user"),
        Arguments.of("policy-on-aws", "provider: {name: aws}\nuser: Bob\npolicy: '{}'", "InvalidSpec", "spec.policy"),
        Arguments.of("name-on-aws", "provider: {name: aws}\nuser: Bob\nname: mykey", "InvalidSpec", "spec.name"),
        Arguments.of("temporary-on-aws", "provider: {name: aws}\ntemporary: true", "InvalidSpec", "spec.temporary"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheOperator")
  void theOperatorRefusesAndKeepsServing(String name, String specLines, String reason, String field) {
    cluster.client.resource(accessKey(name, specLines)).create();
    String healthy = "healthy-" + name;
    moto.createUser(healthy);
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, healthy, "aws", healthy)).create();

    AccessKey refused = cluster.awaitKey(name, ak -> reason(ak).equals(reason));
    assertThat(message(refused)).contains(field);
    assertThat(refused.getStatus().accessKeyId).isNull();
    assertThat(refused.getStatus().observedGeneration).isEqualTo(refused.getMetadata().getGeneration());
    cluster.awaitReady(healthy);
  }
}
