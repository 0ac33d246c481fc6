package io.keywarden.testsupport;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a fabric8 mock API server was asked. */
public final class MockRequests {
  private MockRequests() {}

  /** The requests the server received since the last call, oldest first. */
  public static List<RecordedRequest> since(KubernetesMockServer server) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      requests.add(r);
    }
    return requests;
  }
}
