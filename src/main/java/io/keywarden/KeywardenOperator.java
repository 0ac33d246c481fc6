package io.keywarden;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.keywarden.backend.BackendRegistry;
import io.keywarden.budget.ProviderBudgets;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.BackendFactory;
import io.keywarden.provider.ProviderReads;
import io.keywarden.provider.ProviderResolver;
import io.keywarden.reconciler.AccessKeyProviderReconciler;
import io.keywarden.reconciler.AccessKeyReconciler;
import io.keywarden.reconciler.ClusterAccessKeyProviderReconciler;
import io.keywarden.reconciler.EventRecorder;
import io.keywarden.reconciler.KeyedLocks;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.shard.LeaseLocks;
import io.keywarden.shard.UserLeases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: wires clients, registers the controllers, serves health probes. */
public final class KeywardenOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeywardenOperator.class);

  private final Operator operator;
  private final BackendCache backends;
  private final ProviderReads reads;
  private final EventRecorder events;
  private final KeywardenMetrics metrics;
  private final AtomicBoolean stopping;
  private final UserLeases leases;

  private KeywardenOperator(Operator operator, BackendCache backends, ProviderReads reads, EventRecorder events,
      KeywardenMetrics metrics, AtomicBoolean stopping, UserLeases leases) {
    this.operator = operator;
    this.backends = backends;
    this.reads = reads;
    this.events = events;
    this.metrics = metrics;
    this.stopping = stopping;
    this.leases = leases;
  }

  /** Builds (without starting) an operator on the given client; tests pass their own parts. */
  public static KeywardenOperator create(
      KubernetesClient client,
      OperatorConfig config,
      BackendRegistry backendKinds,
      BackendFactory backendFactory,
      LifecycleObserver observer,
      Clock clock,
      AccessKeyReconciler.Settings settings) {
    KeywardenMetrics metrics = new KeywardenMetrics(clock);
    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          // merge patches for the finalizer: simpler for the API server, and the mock server speaks them
          .withUseSSAToPatchPrimaryResource(false);
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(leaderElection(config.namespace(), config.shard().leaderLease(), stopping));
      }
    });
    ProviderBudgets budgets = new ProviderBudgets(config.callBudgets(), clock);
    BackendCache backends = new BackendCache(p -> budgets.wrap(p.id(), AccessKeyReconciler.backendName(p),
        metrics.metered(p.id(), backendFactory.create(p))));
    ProviderReads reads = ProviderReads.informed(client, config.watchNamespaces());
    ProviderResolver resolver = new ProviderResolver(client, reads, backendKinds, config.namespace());
    UserLeases leases = config.userLeases()
        ? new LeaseLocks(client, config.namespace(), identity(), config.userLeaseDuration(), clock)
        : UserLeases.SINGLE_INSTANCE;
    KeyedLocks locks = new KeyedLocks(leases);
    EventRecorder events = EventRecorder.inBackground(client, clock);
    operator.register(
        new AccessKeyReconciler(client, resolver, backends, budgets, observer, metrics, config.watchNamespaces(),
            config.shard(), locks, events, clock, settings),
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
          o.withLabelSelector(config.shard().selector());
        });
    operator.register(
        new AccessKeyProviderReconciler(client, resolver, backends, clock),
        o -> {
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.register(new ClusterAccessKeyProviderReconciler(client, resolver, backends, clock));
    return new KeywardenOperator(operator, backends, reads, events, metrics, stopping, leases);
  }

  /** Unique per process: the pod's name where there is one, and a random part (a restart is another holder). */
  private static String identity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "keywarden");
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Losing the Lease ends the process so two replicas never reconcile at once; stopping on purpose
   * (SIGTERM) also gives up the Lease, and must not call System.exit from the shutdown hook.
   */
  private static LeaderElectionConfiguration leaderElection(String namespace, String lease, AtomicBoolean stopping) {
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> {}, () -> {
      if (!stopping.get()) {
        log.error("lost the leader Lease; exiting");
        new Thread(() -> System.exit(1)).start();
      }
    }, leader -> log.info("leader is {}", leader));
    return new LeaderElectionConfiguration(lease, namespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, callbacks, false);
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
    stopping.set(true);
    operator.stop();
    events.close(); // after the reconciles that queue events have ended
    reads.close();
    backends.close();
    leases.close();
  }

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    Clock clock = Clock.systemUTC();
    AccessKeyReconciler.Settings settings = new AccessKeyReconciler.Settings(
        config.resyncInterval(),
        AccessKeyReconciler.Settings.DEFAULT.backoffBase(),
        AccessKeyReconciler.Settings.DEFAULT.backoffMax(),
        AccessKeyReconciler.Settings.DEFAULT.wakeMargin(),
        AccessKeyReconciler.Settings.DEFAULT.lifecycle());
    KeywardenOperator keywarden =
        create(client, config, StandardBackends.registry(), BackendFactory.CONNECT, LifecycleObserver.LOGGING, clock, settings);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      keywarden.close();
      client.close();
    }));
    serveHealth(keywarden, config.healthPort());
    serveMetrics(keywarden.metrics(), config.metricsPort());
    keywarden.start();
    log.info("keywarden started (namespace {}, watching {}, {}{})", config.namespace(),
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.shard().isDefault() ? "the default shard" : "shard " + config.shard().name(),
        config.userLeases() ? ", with a Lease per (provider, user)" : "");
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
