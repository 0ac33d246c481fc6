package io.keywarden.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * The fabric8 mock server in CRUD mode, made to refuse a status write that carries an outdated
 * resourceVersion with 409, as kube-apiserver does. The stock mock server checks resourceVersions
 * on PUTs of the whole object only; a status PUT takes the stored object's version, so a write from
 * a stale copy would silently win there, and a test of a stale-cache race would prove nothing.
 */
public final class StatusVersionCheck extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusVersionCheck() {}

  /** A CRUD mock server (not started) whose status writes are checked against the stored resourceVersion. */
  public static KubernetesMockServer server() {
    return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new StatusVersionCheck(), false);
  }

  @Override
  public synchronized MockResponse handleUpdate(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String resourcePath = query < 0 ? path : path.substring(0, query);
    if (!resourcePath.endsWith("/status")) {
      return super.handleUpdate(request);
    }
    // reading the body drains it: the request is handed on with a copy
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().readByteArray();
    String sent = version(new String(body, StandardCharsets.UTF_8));
    MockResponse stored = handleGet(resourcePath.substring(0, resourcePath.length() - "/status".length()));
    if (!sent.isEmpty() && stored.code() == 200 && !sent.equals(version(stored.getBody().readUtf8()))) {
      return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"the object has been modified\"}");
    }
    return super.handleUpdate(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
        request.getHeaders(), new Buffer(body)));
  }

  private static String version(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node == null ? "" : node.path("metadata").path("resourceVersion").asText("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
