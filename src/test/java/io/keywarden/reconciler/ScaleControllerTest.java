package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.keywarden.KeywardenOperator;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.MockRequests;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.memory.MinioLikeBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a key costs, counted at the fabric8 mock API server (CRUD mode) and at an in-memory backend:
 * writes and backend calls per new key, and what a restart asks for keys at rest.
 */
@EnableKubernetesMockClient(crud = true)
class ScaleControllerTest {
  /** A drift interval longer than any test: no drift check falls inside one. */
  private static final AccessKeyReconciler.Settings LONG_INTERVAL = new AccessKeyReconciler.Settings(
      Duration.ofHours(1), KeywardenTestOperator.FAST.backoffBase(), KeywardenTestOperator.FAST.backoffMax(),
      KeywardenTestOperator.FAST.wakeMargin(), KeywardenTestOperator.FAST.lifecycle());

  static KubernetesClient client;
  static KubernetesMockServer server;

  InMemoryKeyBackend backend;
  final List<String> backendCalls = Collections.synchronizedList(new ArrayList<>());
  String ns;

  @BeforeEach
  void setUp() {
    Crds.apply(client);
    ns = "s-" + UUID.randomUUID().toString().substring(0, 8);
    backend = new InMemoryKeyBackend(Clock.systemUTC());
    // the provider's own Ready check (whoAmI) is the provider reconciler's, not a key's
    backend.beforeEachCall(operation -> {
      if (!operation.equals("whoAmI")) {
        backendCalls.add(operation);
      }
    });
    client.resource(Fixtures.credentialsSecret(ns, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    client.resource(Fixtures.awsProvider(ns, "aws", "http://127.0.0.1:1", "aws-admin")).create();
  }

  private KeywardenOperator startOperator() {
    return KeywardenTestOperator.start(client, ns, StandardBackends.registry(), p -> backend, (step, ak) -> {},
        Clock.systemUTC(), LONG_INTERVAL);
  }

  @AfterEach
  void drain() throws InterruptedException {
    requestsSinceLastLook();
  }

  /**
   * The finalizer, the create fence, the Secret and the recorded key with its Ready condition, plus
   * one Event; one backend call (the create), whose answer is enough to record the key. One read:
   * the fresh read of the key's Secret before the create; the provider and its credentials come
   * from informer caches.
   */
  @Test
  void aNewKeyTakesOneBackendCallAtMostFourWritesPlusOneEventAndOneRead() throws Exception {
    KeywardenOperator operator = startOperator();
    try {
      awaitProviderSeen();
      requestsSinceLastLook();
      backendCalls.clear();
      client.resource(Fixtures.accessKey(ns, "app", "aws", "bob")).create();
      awaitReady("app");
    } finally {
      operator.close(); // every reconcile has ended: no write can come later
    }
    List<RecordedRequest> requests = requestsSinceLastLook();
    List<String> writes = requests.stream().filter(ScaleControllerTest::isWrite)
        .filter(r -> !(r.getMethod().equals("POST") && r.getPath().contains("/accesskeys"))) // the test's own create
        .map(r -> r.getMethod() + " " + r.getPath()).toList();

    assertThat(backendCalls).containsExactly("create");
    assertThat(writes.stream().filter(w -> w.contains("/events")).count()).as("Events in %s", writes).isEqualTo(1);
    assertThat(writes.stream().filter(w -> !w.contains("/events")).count()).as("writes %s", writes).isLessThanOrEqualTo(4);
    List<String> reads = requests.stream()
        .filter(r -> r.getMethod().equals("GET") && isPerObject(r))
        .filter(r -> !r.getPath().contains("/accesskeys/app")) // the test's own look for Ready
        .map(r -> r.getMethod() + " " + r.getPath()).toList();
    assertThat(reads).containsExactly("GET /api/v1/namespaces/" + ns + "/secrets/app");
  }

  /**
   * A new process confirms keys at rest from its informer caches alone: no backend call, no GET of
   * a key's Secret or provider, no write; the gauge of published keys still counts them.
   */
  @Test
  void aRestartAsksNothingForKeysAtRest() throws Exception {
    KeywardenOperator first = startOperator();
    try {
      for (String user : List.of("ann", "ben", "cat")) {
        client.resource(Fixtures.accessKey(ns, "key-" + user, "aws", user)).create();
      }
      for (String user : List.of("ann", "ben", "cat")) {
        awaitReady("key-" + user);
      }
    } finally {
      first.close();
    }
    requestsSinceLastLook();
    backendCalls.clear();

    KeywardenOperator second = startOperator();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> publishedKeys(second) == 3);
    } finally {
      second.close();
    }
    List<String> requests = requestsSinceLastLook().stream()
        .filter(r -> isWrite(r) || (r.getMethod().equals("GET") && isPerObject(r)))
        .map(r -> r.getMethod() + " " + r.getPath()).toList();

    assertThat(backendCalls).isEmpty();
    // per key: nothing; per provider: its own Ready check reads it and its credentials, once
    assertThat(requests.stream().filter(r -> r.contains("/key-"))).isEmpty();
    assertThat(requests.stream().filter(r -> !r.startsWith("GET"))).isEmpty();
    assertThat(requests).hasSizeLessThanOrEqualTo(2);
  }

  /**
   * Keys at rest on a backend that lists its whole account (MinIO-like): every drift window costs
   * one account listing for all users of the provider, not one listing per user, and no API request; a key deleted
   * outside keywarden is still found and re-issued (the repair asks the backend afresh first).
   */
  @Test
  void atRestOneAccountListingPerWindowAnswersEveryUserAndAKeyDeletedOutsideIsRepaired() throws Exception {
    MinioLikeBackend minio = new MinioLikeBackend(Clock.systemUTC());
    minio.beforeEachCall(operation -> {
      if (!operation.equals("whoAmI")) {
        backendCalls.add(operation);
      }
    });
    client.resource(Fixtures.minioProvider(ns, "minio", "http://127.0.0.1:1", "aws-admin")).create();
    List<String> users = List.of("ann", "ben", "cat");
    KeywardenOperator operator = KeywardenTestOperator.start(client, ns, StandardBackends.registry(),
        p -> p.spec().minio != null ? minio : backend, (step, ak) -> {}, Clock.systemUTC(), KeywardenTestOperator.FAST);
    try {
      for (String user : users) {
        for (int i = 1; i <= 2; i++) {
          client.resource(Fixtures.accessKey(ns, "key-" + user + "-" + i, "minio", user)).create();
        }
      }
      for (String user : users) {
        awaitReady("key-" + user + "-1");
        awaitReady("key-" + user + "-2");
      }
      backendCalls.clear();
      requestsSinceLastLook();
      // three drift windows (of FAST's 2 s) in which all six keys of the three users came due
      await().atMost(Duration.ofSeconds(60)).until(() -> count("listAccount") >= 3);
      List<String> atRest = List.copyOf(backendCalls);
      assertThat(atRest).as("calls at rest").containsOnly("listAccount");
      // the checks confirmed from the informer caches: no key's Secret or AccessKey was asked for
      assertThat(requestsSinceLastLook().stream().filter(this::isPerObject).map(r -> r.getMethod() + " " + r.getPath()))
          .as("API requests at rest").isEmpty();

      AccessKey ben = client.resources(AccessKey.class).inNamespace(ns).withName("key-ben-1").get();
      String deleted = ben.getStatus().accessKeyId;
      minio.deleteOutside(deleted);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        AccessKey now = client.resources(AccessKey.class).inNamespace(ns).withName("key-ben-1").get();
        return now.getStatus().accessKeyId != null && !now.getStatus().accessKeyId.equals(deleted)
            && Conditions.isTrue(now.getStatus().conditions, Conditions.READY);
      });
      assertThat(minio.allKeys()).extracting(io.keywarden.backend.KeyInfo::user)
          .as("one key per AccessKey, the re-issued one included").hasSize(6);
      assertThat(backendCalls).as("the repair asked afresh (list) and created").contains("list", "create");
    } finally {
      operator.close();
    }
  }

  private long count(String operation) {
    synchronized (backendCalls) {
      return backendCalls.stream().filter(operation::equals).count();
    }
  }

  private void awaitProviderSeen() {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var p = client.resources(io.keywarden.api.v1alpha1.AccessKeyProvider.class).inNamespace(ns).withName("aws").get();
      return p.getStatus() != null && Conditions.isTrue(p.getStatus().conditions, Conditions.READY);
    });
  }

  private void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      AccessKey ak = client.resources(AccessKey.class).inNamespace(ns).withName(name).get();
      return ak != null && ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY);
    });
  }

  private static double publishedKeys(KeywardenOperator operator) {
    return operator.metrics().scrape().lines()
        .filter(l -> l.startsWith("keywarden_access_keys{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static boolean isWrite(RecordedRequest r) {
    return List.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod());
  }

  /** A request for one named object in the test's namespace (a LIST or a watch names no object). */
  private boolean isPerObject(RecordedRequest r) {
    String path = r.getPath().split("\\?")[0];
    return path.matches(".*/namespaces/" + ns + "/(secrets|accesskeyproviders|accesskeys)/[^/]+(/status)?");
  }

  /** Every request the mock server received since the last look. */
  private static List<RecordedRequest> requestsSinceLastLook() throws InterruptedException {
    return MockRequests.since(server);
  }
}
