package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits Kubernetes events. Messages are built by keywarden and never hold a secret key.
 *
 * <p>The operator's recorder sends them {@linkplain #inBackground in the background}, as
 * Kubernetes' own controllers do: an event is a courtesy, and waiting for it would hold a reconcile
 * thread for one more API round trip per key. When too many wait, the newest are dropped (and
 * logged, as every event is).
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "keywarden";
  /**
   * Which process recorded the event (in a pod, HOSTNAME is the pod's name): with replicas or shards,
   * {@code kubectl get events -o wide} then shows which instance acted on an AccessKey.
   */
  private static final String INSTANCE = System.getenv("HOSTNAME");
  /** Enough for the events of a burst of thousands of new keys; each is a few hundred bytes. */
  private static final int QUEUED_AT_MOST = 10_000;
  private static final int SENDERS = 4;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Clock clock;
  private final ExecutorService sender;

  /** Sends each event before returning. */
  public EventRecorder(KubernetesClient client, Clock clock) {
    this(client, clock, null);
  }

  private EventRecorder(KubernetesClient client, Clock clock, ExecutorService sender) {
    this.client = client;
    this.clock = clock;
    this.sender = sender;
  }

  /** Sends events from threads of its own; {@link #close} sends what is queued. */
  public static EventRecorder inBackground(KubernetesClient client, Clock clock) {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor sender = new ThreadPoolExecutor(SENDERS, SENDERS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED_AT_MOST), r -> {
          Thread t = new Thread(r, "keywarden-events-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, (r, executor) -> log.warn("too many events waiting to be sent; one was dropped"));
    return new EventRecorder(client, clock, sender);
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
    Event event = new EventBuilder()
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
        .build();
    if (sender == null) {
      send(event);
    } else {
      sender.execute(() -> send(event));
    }
  }

  private void send(Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconcile.
      log.warn("could not record event {} for {}: {}", event.getReason(), event.getInvolvedObject().getName(), e.getMessage());
    }
  }

  @Override
  public void close() {
    if (sender == null) {
      return;
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("events still unsent after {} s were dropped", DRAIN.toSeconds());
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
  }
}
