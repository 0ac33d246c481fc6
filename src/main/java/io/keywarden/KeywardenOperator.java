package io.keywarden;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.Backends;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.BackendFactory;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.reconciler.AccessKeyProviderReconciler;
import io.keywarden.reconciler.AccessKeyReconciler;
import io.keywarden.reconciler.ClusterAccessKeyProviderReconciler;
import io.keywarden.reconciler.LifecycleObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: wires clients, registers the controllers, serves health probes. */
public final class KeywardenOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeywardenOperator.class);

  private final Operator operator;
  private final BackendCache backends;
  private final KeywardenMetrics metrics;

  private KeywardenOperator(Operator operator, BackendCache backends, KeywardenMetrics metrics) {
    this.operator = operator;
    this.backends = backends;
    this.metrics = metrics;
  }

  /** Builds (without starting) an operator on the given client; tests pass their own parts. */
  public static KeywardenOperator create(
      KubernetesClient client,
      OperatorConfig config,
      BackendFactory backendFactory,
      LifecycleObserver observer,
      Clock clock,
      AccessKeyReconciler.Settings settings) {
    KeywardenMetrics metrics = new KeywardenMetrics(clock);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          // merge patches for the finalizer: simpler for the API server, and the mock server speaks them
          .withUseSSAToPatchPrimaryResource(false);
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("keywarden-leader", config.namespace()));
      }
    });
    BackendCache backends = new BackendCache(p -> metrics.metered(p.id(), backendFactory.create(p)));
    ProviderResolver resolver = new ProviderResolver(client, config.namespace());
    operator.register(
        new AccessKeyReconciler(client, resolver, backends, observer, metrics, clock, settings),
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.register(
        new AccessKeyProviderReconciler(client, resolver, backends, clock),
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.register(new ClusterAccessKeyProviderReconciler(client, resolver, backends, clock));
    return new KeywardenOperator(operator, backends, metrics);
  }

  public KeywardenMetrics metrics() {
    return metrics;
  }

  public void start() {
    operator.start();
  }

  public boolean isHealthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
    backends.close();
  }

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Clock clock = Clock.systemUTC();
    AccessKeyReconciler.Settings settings = new AccessKeyReconciler.Settings(
        config.resyncInterval(),
        AccessKeyReconciler.Settings.DEFAULT.backoffBase(),
        AccessKeyReconciler.Settings.DEFAULT.backoffMax(),
        AccessKeyReconciler.Settings.DEFAULT.lifecycle());
    KeywardenOperator keywarden =
        create(client, config, Backends::forProvider, LifecycleObserver.LOGGING, clock, settings);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      keywarden.close();
      client.close();
    }));
    serveHealth(keywarden, config.healthPort());
    serveMetrics(keywarden.metrics(), config.metricsPort());
    keywarden.start();
    log.info("keywarden started (namespace {}, watching {})", config.namespace(),
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces());
  }

  /** /healthz: the process answers; /readyz: every informer is connected and synced. */
  private static void serveHealth(KeywardenOperator keywarden, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext("/readyz", exchange -> {
      boolean ready = keywarden.isHealthy();
      respond(exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
    });
    server.setExecutor(null);
    server.start();
  }

  /** Prometheus text format on /metrics, on a port of its own so probes and scrapes stay apart. */
  private static void serveMetrics(KeywardenMetrics metrics, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      respond(exchange, 200, metrics.scrape());
    });
    server.setExecutor(null);
    server.start();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
