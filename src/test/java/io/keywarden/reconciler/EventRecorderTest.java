package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.testsupport.Fixtures;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events reach the API server, sent at once or from the recorder's own threads. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  static KubernetesClient client;

  @Test
  void theOperatorsRecorderSendsEveryQueuedEventByTheTimeItIsClosed() {
    String ns = "e-" + UUID.randomUUID().toString().substring(0, 8);
    AccessKey key = Fixtures.accessKey(ns, "app", "aws", "bob");
    EventRecorder events = EventRecorder.inBackground(client, Clock.systemUTC());
    for (int i = 0; i < 50; i++) {
      events.normal(key, "Created", "created access key " + i);
    }
    events.close();

    assertThat(client.v1().events().inNamespace(ns).list().getItems())
        .extracting(Event::getMessage).hasSize(50).contains("created access key 0", "created access key 49");
  }

  @Test
  void theDirectRecorderHasSentTheEventWhenItReturns() {
    String ns = "e-" + UUID.randomUUID().toString().substring(0, 8);
    new EventRecorder(client, Clock.systemUTC()).warning(Fixtures.accessKey(ns, "app", "aws", "bob"), "Failed", "no");

    assertThat(client.v1().events().inNamespace(ns).list().getItems()).extracting(Event::getReason).containsExactly("Failed");
  }
}
