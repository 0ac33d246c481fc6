package io.keywarden.tenancy;

import static io.keywarden.testsupport.Awaits.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterProviderSpec;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.allowedUsers in the running operator (fabric8 mock API server, in-memory backend): refused
 * AccessKeys get {@code Ready=False UserNotAllowed} and a warning event, nothing is created for
 * them, and valid AccessKeys next to them reach Ready.
 */
@EnableKubernetesMockClient(crud = true)
class AllowedUsersControllerTest {
  static KubernetesClient client;

  InMemoryKeyBackend backend;
  KeywardenOperator operator;
  String ns;

  @BeforeEach
  void start() {
    Crds.apply(client);
    ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
    backend = new InMemoryKeyBackend(Clock.systemUTC());
    client.resource(Fixtures.credentialsSecret(ns, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    operator = KeywardenTestOperator.start(client, ns, p -> backend);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aNamespacedProviderServesOnlyTheUsersItLists() {
    AccessKeyProvider provider = Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin");
    provider.getSpec().allowedUsers = List.of("ci-bot", "${namespace}.*");
    client.resource(provider).create();

    client.resource(Fixtures.accessKey(ns, "named", "aws", "ci-bot")).create();
    client.resource(Fixtures.accessKey(ns, "pattern", "aws", ns + ".billing")).create();
    client.resource(Fixtures.accessKey(ns, "admin", "aws", "admin")).create();
    client.resource(Fixtures.accessKey(ns, "other-namespace", "aws", "t-other.billing")).create();
    client.resource(Fixtures.accessKey(ns, "identity", "aws", null)).create();

    awaitReady("named");
    awaitReady("pattern");
    assertThat(awaitRefused("admin")).contains("spec.user: admin", "AccessKeyProvider/" + ns + "/aws", "nothing was created");
    assertThat(awaitRefused("other-namespace")).contains("spec.user: t-other.billing", "in namespace " + ns);
    assertThat(awaitRefused("identity")).contains("spec.user: not set", "${identity}");
    soon().untilAsserted(() -> assertThat(warnings()).anySatisfy(e -> assertThat(e.getMessage()).contains("spec.user: admin")));
    assertThat(backend.allKeys()).extracting(KeyInfo::user).containsExactlyInAnyOrder("ci-bot", ns + ".billing");
    assertThat(backend.creates()).isEqualTo(2);
  }

  @Test
  void aClusterProviderServesNoUserUntilItListsThem() {
    client.resource(Fixtures.credentialsSecret("keywarden", "shared-" + ns, "AKIDSHARED", "shared-secret")).create();
    ClusterAccessKeyProvider shared = new ClusterAccessKeyProvider();
    shared.setMetadata(new ObjectMetaBuilder().withName("shared-" + ns).build());
    shared.setSpec(new ClusterProviderSpec());
    shared.getSpec().aws = Fixtures.awsProvider(ns, "x", "http://127.0.0.1:1", "shared-" + ns).getSpec().aws;
    client.resource(shared).create();
    for (String[] key : new String[][] {{"bob", "bob"}, {"identity", null}}) {
      AccessKey accessKey = Fixtures.accessKey(ns, key[0], "shared-" + ns, key[1]);
      accessKey.getSpec().provider = new ProviderRef("shared-" + ns, ProviderKind.ClusterAccessKeyProvider);
      client.resource(accessKey).create();
    }
    assertThat(awaitRefused("bob")).contains("spec.user: bob", "ClusterAccessKeyProvider/shared-" + ns,
        "without spec.allowedUsers serves no user");
    assertThat(awaitRefused("identity")).contains("spec.user: not set");
    assertThat(backend.creates()).isZero();

    client.resources(ClusterAccessKeyProvider.class).withName("shared-" + ns).edit(p -> {
      p.getSpec().allowedUsers = List.of(AllowedUsers.IDENTITY);
      return p;
    });
    assertThat(awaitReady("identity").getStatus().user).isEqualTo(InMemoryKeyBackend.SELF);
    awaitKey(ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .filter(c -> c.getMessage().contains("no entry of spec.allowedUsers [${identity}] matches it")).isPresent(), "bob");
    assertThat(backend.allKeys()).extracting(KeyInfo::user).containsExactly(InMemoryKeyBackend.SELF);
    client.resource(shared).delete();
  }

  /** Narrowing the list keeps a key already held (and says so); deleting the AccessKey still deletes it. */
  @Test
  void aNarrowedListKeepsTheHeldKeyAndSaysSo() {
    AccessKeyProvider provider = Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin");
    provider.getSpec().allowedUsers = List.of("bob", "carol");
    client.resource(provider).create();
    client.resource(Fixtures.accessKey(ns, "bob", "aws", "bob")).create();
    client.resource(Fixtures.accessKey(ns, "carol", "aws", "carol")).create();
    String held = awaitReady("bob").getStatus().accessKeyId;
    awaitReady("carol");

    client.resources(AccessKeyProvider.class).inNamespace(ns).withName("aws").edit(p -> {
      p.getSpec().allowedUsers = List.of("carol");
      return p;
    });

    assertThat(awaitRefused("bob")).contains("spec.user: bob", "access key " + held + " is kept");
    assertThat(backend.allKeys()).filteredOn(k -> k.user().equals("bob")).singleElement()
        .satisfies(k -> assertThat(k.accessKeyId()).isEqualTo(held))
        .satisfies(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));
    assertThat(client.secrets().inNamespace(ns).withName("bob").get()).isNotNull();
    assertThat(Conditions.isTrue(client.resources(AccessKey.class).inNamespace(ns).withName("carol").get()
        .getStatus().conditions, Conditions.READY)).isTrue();

    client.resources(AccessKey.class).inNamespace(ns).withName("bob").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.allKeys().stream().noneMatch(k -> k.user().equals("bob")));
    assertThat(backend.allKeys()).extracting(KeyInfo::user).containsExactly("carol");
  }

  List<Event> warnings() {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && "UserNotAllowed".equals(e.getReason())).toList();
  }

  AccessKey awaitReady(String name) {
    return awaitKey(ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY), name);
  }

  String awaitRefused(String name) {
    AccessKey refused = awaitKey(ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .filter(c -> c.getReason().equals("UserNotAllowed") && "False".equals(c.getStatus())).isPresent(), name);
    return Conditions.find(refused.getStatus().conditions, Conditions.READY).orElseThrow().getMessage();
  }

  AccessKey awaitKey(Predicate<AccessKey> condition, String name) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
