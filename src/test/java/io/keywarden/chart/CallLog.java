package io.keywarden.chart;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the workloads of resources/node/caller.py report each signed call: an HTTP listener on
 * the node's bridge address, recording when each report arrived.
 */
final class CallLog implements AutoCloseable {
  /** One call of one pod: the access key id it used (never the secret), whether it worked, why not. */
  record Call(Instant at, String pod, String keyId, boolean ok, String error) {}

  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();

  CallLog(String address) {
    try {
      server = HttpServer.create(new InetSocketAddress(address, 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      record(new Call(Instant.now(), query.get("pod"), query.get("key"), "1".equals(query.get("ok")), query.get("error")));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/";
  }

  private synchronized void record(Call call) {
    calls.add(call);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls of pods whose name starts with the prefix, from the given moment on. */
  List<Call> since(Instant from, String podPrefix) {
    return calls().stream().filter(c -> !c.at().isBefore(from) && c.pod() != null && c.pod().startsWith(podPrefix))
        .toList();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
