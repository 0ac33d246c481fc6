package io.keywarden.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.MockRequests;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Providers and credential Secrets come from informers; what they do not hold yet is asked for. */
@EnableKubernetesMockClient(crud = true)
class ProviderReadsTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  String ns;
  ProviderReads reads;

  @BeforeEach
  void setUp() throws InterruptedException {
    Crds.apply(client);
    ns = "p-" + UUID.randomUUID().toString().substring(0, 8);
    reads = ProviderReads.informed(client, Set.of());
    requestsSinceLastLook();
  }

  @AfterEach
  void tearDown() {
    reads.close();
  }

  @Test
  void repeatedReadsAskTheApiServerNothingPerObject() throws InterruptedException {
    client.resource(Fixtures.credentialsSecret(ns, "admin", "AKIDADMIN", "first")).create();
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "admin")).create();
    requestsSinceLastLook();

    for (int i = 0; i < 5; i++) {
      assertThat(reads.provider(ns, "aws").getMetadata().getName()).isEqualTo("aws");
      assertThat(reads.secret(ns, "admin").getMetadata().getName()).isEqualTo("admin");
    }

    List<String> named = requestsSinceLastLook().stream()
        .filter(r -> r.getMethod().equals("GET") && r.getPath().split("\\?")[0].matches(".*/(secrets|accesskeyproviders)/[^/]+"))
        .map(RecordedRequest::getPath).toList();
    assertThat(named).isEmpty();
  }

  @Test
  void aProviderOrSecretCreatedAfterItsInformerStartedIsFoundAtOnce() {
    client.resource(Fixtures.credentialsSecret(ns, "other", "AKIDOTHER", "x")).create();
    assertThat(reads.provider(ns, "aws")).isNull(); // starts the informer; nothing there yet
    assertThat(reads.secret(ns, "admin")).isNull();

    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "admin")).create();
    client.resource(Fixtures.credentialsSecret(ns, "admin", "AKIDADMIN", "first")).create();

    // read at once, whether or not the watch has delivered it yet
    assertThat(reads.provider(ns, "aws")).isNotNull();
    assertThat(reads.secret(ns, "admin")).isNotNull();
  }

  @Test
  void aChangedCredentialSecretIsSeen() {
    client.resource(Fixtures.credentialsSecret(ns, "admin", "AKIDADMIN", "first")).create();
    String before = reads.secret(ns, "admin").getMetadata().getResourceVersion();

    Secret changed = client.secrets().inNamespace(ns).withName("admin").get();
    changed.setData(Map.of("secretAccessKey", Base64.getEncoder().encodeToString("second".getBytes())));
    String after = client.resource(changed).update().getMetadata().getResourceVersion();

    assertThat(after).isNotEqualTo(before);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> after.equals(reads.secret(ns, "admin").getMetadata().getResourceVersion()));
  }

  @Test
  void directReadsAskEveryTime() throws InterruptedException {
    ProviderReads direct = ProviderReads.direct(client);
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "admin")).create();
    requestsSinceLastLook();

    direct.provider(ns, "aws");
    direct.provider(ns, "aws");

    assertThat(requestsSinceLastLook().stream().filter(r -> r.getPath().endsWith("/accesskeyproviders/aws"))).hasSize(2);
  }

  private static List<RecordedRequest> requestsSinceLastLook() throws InterruptedException {
    return MockRequests.since(server);
  }
}
