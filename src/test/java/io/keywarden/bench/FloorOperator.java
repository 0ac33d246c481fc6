package io.keywarden.bench;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keywarden.api.v1alpha1.AccessKey;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The floor: the least a controller must do to make an AccessKey Ready, in plain fabric8 with no
 * backend. It watches AccessKeys and, for each new one, on as many threads as keywarden reconciles
 * with, writes what keywarden writes per key at the least: a finalizer (merge patch), the Secret
 * (create) and a Ready condition (status merge patch). Signed in as the same ServiceAccount, so
 * the API server's priority and fairness treat it as it treats keywarden.
 */
final class FloorOperator implements AutoCloseable {
  static final String FINALIZER = "bench.keywarden.io/floor";
  static final String LABEL = "bench.keywarden.io/floor";

  private final ExecutorService workers;
  private final SharedIndexInformer<AccessKey> informer;

  FloorOperator(KubernetesClient client, String namespace, int threads) {
    this.workers = Executors.newFixedThreadPool(threads);
    this.informer = client.resources(AccessKey.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(AccessKey ak) {
        workers.submit(() -> makeReady(client, ak));
      }

      @Override
      public void onUpdate(AccessKey old, AccessKey ak) {}

      @Override
      public void onDelete(AccessKey ak, boolean unknownFinalState) {}
    });
  }

  private static void makeReady(KubernetesClient client, AccessKey ak) {
    try {
      String ns = ak.getMetadata().getNamespace();
      String name = ak.getMetadata().getName();
      var resource = client.resources(AccessKey.class).inNamespace(ns).withName(name);
      resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[\"" + FINALIZER + "\"]}}");
      client.resource(secretFor(ak)).create();
      String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
      resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"status\":{\"accessKeyId\":\"AKIAFLOOR\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
              + "\"reason\":\"KeyActive\",\"message\":\"floor\",\"lastTransitionTime\":\"" + now + "\"}]}}");
    } catch (RuntimeException e) {
      Bench.say("floor: " + ak.getMetadata().getName() + ": " + e.getMessage());
    }
  }

  /** A Secret of the size keywarden writes (four AWS entries), owned by the AccessKey. */
  private static Secret secretFor(AccessKey ak) {
    Base64.Encoder b64 = Base64.getEncoder();
    String filler = UUID.randomUUID().toString().replace("-", "");
    return new SecretBuilder()
        .withNewMetadata().withNamespace(ak.getMetadata().getNamespace()).withName(ak.getMetadata().getName())
        .withLabels(Map.of(LABEL, "true"))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(ak.getApiVersion()).withKind(ak.getKind())
            .withName(ak.getMetadata().getName()).withUid(ak.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withData(Map.of(
            "AWS_ACCESS_KEY_ID", b64.encodeToString("AKIAFLOOR0000000000".getBytes()),
            "AWS_SECRET_ACCESS_KEY", b64.encodeToString((filler + filler).substring(0, 40).getBytes()),
            "AWS_REGION", b64.encodeToString("us-east-1".getBytes()),
            "AWS_ENDPOINT_URL", b64.encodeToString("http://127.0.0.1:1".getBytes())))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    informer.close();
    workers.shutdown();
    workers.awaitTermination(1, TimeUnit.MINUTES);
  }
}
