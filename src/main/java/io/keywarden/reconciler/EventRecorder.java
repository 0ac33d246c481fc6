package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits Kubernetes events. Messages are built by keywarden and never hold a secret key. */
public final class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "keywarden";
  /**
   * Which process recorded the event (in a pod, HOSTNAME is the pod's name): with replicas or shards,
   * {@code kubectl get events -o wide} then shows which instance acted on an AccessKey.
   */
  private static final String INSTANCE = System.getenv("HOSTNAME");
  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    emit(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    emit(object, "Warning", reason, message);
  }

  private void emit(HasMetadata object, String type, String reason, String message) {
    String now = Times.format(clock.instant());
    String namespace =
        object.getMetadata().getNamespace() != null ? object.getMetadata().getNamespace() : "default";
    log.info("{} {}/{}: {} {}", type, object.getKind(), object.getMetadata().getName(), reason, message);
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(object.getApiVersion())
                          .withKind(object.getKind())
                          .withName(object.getMetadata().getName())
                          .withNamespace(object.getMetadata().getNamespace())
                          .withUid(object.getMetadata().getUid())
                          .withResourceVersion(object.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .withHost(INSTANCE)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withReportingInstance(INSTANCE)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconcile.
      log.warn("could not record event {} for {}: {}", reason, object.getMetadata().getName(), e.getMessage());
    }
  }
}
