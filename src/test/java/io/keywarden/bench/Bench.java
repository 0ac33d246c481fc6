package io.keywarden.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.MinioCredentials;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.minio.AdminCallLimit;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.chart.Helm;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

/**
 * {@code make bench}: keywarden on a real kube-apiserver + etcd, moto and MinIO, run as the
 * packaged jar under the chart's ServiceAccount; every figure is printed next to a floor measured
 * in the same run, so the ratios hold on a noisy machine. It prints; it asserts no timing.
 *
 * <p>Arguments: the operator jar, N (AccessKeys on moto, default 1000) and M (AccessKeys on MinIO,
 * default {@value #DEFAULT_MINIO_KEYS}; see the README for why it is smaller).
 */
public final class Bench {
  static final int DEFAULT_KEYS = 1000;
  static final int DEFAULT_MINIO_KEYS = 200;
  /** keywarden's default KEYWARDEN_RECONCILE_THREADS; the floor program uses as many. */
  static final int THREADS = 10;
  /**
   * The drift interval set for the run (KEYWARDEN_RESYNC_INTERVAL): short, so that the steady
   * state covers one whole interval, in which every (provider, user) scope is checked once.
   */
  static final Duration INTERVAL = Duration.ofSeconds(Long.getLong("bench.interval", 120));
  /**
   * The call budgets set for the run (KEYWARDEN_BACKEND_CALLS_PER_SECOND): moto and a local MinIO
   * take more than the defaults meant for AWS; the burst shows the budget holds at the backend.
   */
  static final String BUDGET = System.getProperty("bench.budget", "aws=50,minio=20");
  static final int MINIO_USERS = 10;
  static final String AWS_NS = "bench-aws";
  static final String MINIO_NS = "bench-minio";
  static final String FLOOR_NS = "bench-floor";
  static final String SHARDS_NS = "bench-shards";
  static final String UNRELATED_LABEL = "bench.keywarden.io/unrelated";

  private final Path jar;
  private final int n;
  private final int m;
  private final Path workDir;
  private final Report report;
  private BenchCluster cluster;
  private int operatorRuns;

  private Bench(Path jar, int n, int m, Path workDir) {
    this.jar = jar;
    this.n = n;
    this.m = m;
    this.workDir = workDir;
    this.report = new Report(n, m);
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int n = args.length > 1 && !args[1].isBlank() ? Integer.parseInt(args[1]) : DEFAULT_KEYS;
    int m = args.length > 2 && !args[2].isBlank() ? Integer.parseInt(args[2]) : DEFAULT_MINIO_KEYS;
    long start = Clock.now();
    Bench bench = new Bench(jar, n, m, Files.createTempDirectory("keywarden-bench-"));
    bench.run();
    say("bench finished in " + Math.round(Clock.secondsSince(start)) + " s (logs in " + bench.workDir + ")");
    System.exit(0); // informer threads of the shared clients are not daemons
  }

  private void run() throws Exception {
    double driftRate = (double) n / INTERVAL.toSeconds();
    if (driftRate > budget("aws").callsPerSecond() / 2) {
      // the steady state would then show the budget, not the drift schedule
      throw new IllegalArgumentException("INTERVAL=" + INTERVAL.toSeconds() + " s is too short for N=" + n
          + ": the drift checks alone would take " + Math.round(driftRate) + " of the " + budget("aws").callsPerSecond()
          + " calls per second the budget allows on moto; set INTERVAL to at least " + (long) Math.ceil(2.0 * n / budget("aws").callsPerSecond()));
    }
    say("N = " + n + " AccessKeys on moto, M = " + m + " on MinIO; operator " + jar.getFileName() + " " + OperatorProcess.HEAP
        + ", " + THREADS + " reconcile threads, drift interval " + INTERVAL.toSeconds() + " s, call budget " + BUDGET
        + ", under ServiceAccount keywarden/keywarden (the chart's RBAC)");
    say("starting the local control plane, moto and MinIO");
    try (BenchCluster c = BenchCluster.start(workDir); MotoServer moto = MotoServer.start(); MinioServer minio = MinioServer.start()) {
      cluster = c;
      floors();
      awsPhases(moto);
      minioPhases(minio);
    } finally { // what was measured before a failure is still shown
      System.out.println();
      System.out.print(report.render());
    }
  }

  // --- floors: plain fabric8, no operator running ------------------------------------------------

  private void floors() throws Exception {
    cluster.createNamespace(FLOOR_NS);
    for (int size : m == n ? List.of(n) : List.of(n, m)) {
      say("floor: plain fabric8 program, " + size + " AccessKeys, " + THREADS + " threads");
      ApiRequests before = ApiRequests.read(cluster.admin);
      Burst.Result floor;
      try (FloorOperator program = new FloorOperator(cluster.serviceAccount, FLOOR_NS, THREADS)) {
        floor = Burst.run(cluster.admin, FLOOR_NS, size, i -> Fixtures.accessKey(FLOOR_NS, "floor-" + size + "-" + i, "none", "u" + i),
            Duration.ofMinutes(10));
      }
      ApiRequests.Delta writes = ApiRequests.Delta.between(before, ApiRequests.read(cluster.admin));
      report.floor(size, floor, writes);
      cluster.deleteFloorObjects(FLOOR_NS);
    }
  }

  // --- moto: time to Ready, steady state, restart, memory ------------------------------------------

  private void awsPhases(MotoServer moto) throws Exception {
    say("creating " + n + " IAM users on moto");
    MotoServer.Credentials admin = moto.adminCredentials();
    parallel(n, 4, i -> moto.createUser(user(i)));
    cluster.createNamespace(AWS_NS);
    cluster.admin.resource(Fixtures.credentialsSecret(AWS_NS, "aws-admin", admin.accessKeyId(), admin.secretAccessKey().reveal())).create();
    cluster.admin.resource(Fixtures.awsProvider(AWS_NS, "aws", moto.endpoint().toString(), "aws-admin")).create();

    OperatorProcess operator = startOperator();
    awaitProviderReady(AWS_NS, "aws");
    say("time to Ready: " + n + " AccessKeys on moto");
    ApiRequests before = ApiRequests.read(cluster.admin);
    double callsBefore = operator.backendCalls(AWS_NS, "aws");
    Burst.Result burst;
    CallRate.Figures rate;
    OperatorProcess running = operator;
    try (CallRate sampler = CallRate.start(() -> running.backendCalls(AWS_NS, "aws"))) {
      burst = Burst.run(cluster.admin, AWS_NS, n, i -> Fixtures.accessKey(AWS_NS, "key-" + i, "aws", user(i)),
          Duration.ofMinutes(20));
      rate = sampler.figures();
    }
    double backendCalls = operator.backendCalls(AWS_NS, "aws") - callsBefore;
    ApiRequests.Delta burstRequests = ApiRequests.Delta.between(before, ApiRequests.read(cluster.admin));
    report.timeToReady("moto", burst, burstRequests, backendCalls);
    report.callRate("moto", rate, budget("aws"));

    // the checks whose slots fell into the burst waited behind its creates; they run as the queue
    // drains, so the interval right after a burst holds some twice: at rest begins one interval later
    say("settling: one drift interval (" + INTERVAL.toSeconds() + " s) after the burst");
    Clock.sleep(INTERVAL.toMillis());
    say("steady state: one whole drift interval (" + INTERVAL.toSeconds() + " s) with " + n + " Ready keys");
    before = ApiRequests.read(cluster.admin);
    PromText metricsBefore = operator.metrics();
    Clock.sleep(INTERVAL.toMillis());
    report.idle(INTERVAL, n, ApiRequests.Delta.between(before, ApiRequests.read(cluster.admin)),
        Calls.between(metricsBefore, operator.metrics()));

    say("restart: a new operator process confirms " + n + " keys");
    operator.close();
    double floorStart = InformerFloor.time(jar, cluster.serviceAccountKubeconfig, workDir.resolve("informer-floor.log"));
    ApiRequests afterFloor = ApiRequests.read(cluster.admin);
    // an hour's interval for this process: no drift slot falls into the window, so the calls and
    // reads counted are the restart's own (the steady state above measured the drift checks)
    operator = startOperator(Map.of("KEYWARDEN_RESYNC_INTERVAL", "1h"));
    double readyz = operator.awaitReady(Duration.ofMinutes(2));
    double confirmed = awaitConfirmed(operator, n);
    Clock.sleep(2000); // late writes, if any, would land now
    ApiRequests.Delta restartRequests = ApiRequests.Delta.between(afterFloor, ApiRequests.read(cluster.admin));
    report.restart(readyz, confirmed, floorStart, restartRequests, Calls.between(null, operator.metrics()));

    say("memory with " + n + " AccessKeys");
    long heap = operator.liveHeapAfterFullGc();
    long rss = operator.rss()[0];
    say("creating " + 10 * n + " unrelated Secrets");
    parallel(10 * n, 8, i -> cluster.admin.resource(unrelatedSecret(i)).create());
    operator.close();
    operator = startOperator();
    operator.awaitReady(Duration.ofMinutes(5));
    awaitConfirmed(operator, n);
    long heapWith = operator.liveHeapAfterFullGc();
    long rssWith = operator.rss()[0];
    report.memory(heap, rss, heapWith, rssWith);
    operator.close();
    // the unrelated Secrets stay: no later phase watches them, and deleting 10 x N of them in one
    // request outlasts the client's request timeout

    shardPhase(moto, admin, burst, burstRequests, rate);
  }

  /** The same burst with fresh users, served by two shard instances: where the bottleneck moves. */
  private void shardPhase(MotoServer moto, MotoServer.Credentials admin, Burst.Result oneInstance,
      ApiRequests.Delta oneInstanceRequests, CallRate.Figures oneInstanceRate) throws Exception {
    say("creating " + n + " more IAM users on moto for the sharded burst");
    parallel(n, 4, i -> moto.createUser(shardUser(i)));
    cluster.createNamespace(SHARDS_NS);
    cluster.admin.resource(Fixtures.credentialsSecret(SHARDS_NS, "aws-admin", admin.accessKeyId(), admin.secretAccessKey().reveal())).create();
    cluster.admin.resource(Fixtures.awsProvider(SHARDS_NS, "aws", moto.endpoint().toString(), "aws-admin")).create();
    // the chart grants the per-(provider, user) Leases only to an install that lists shards
    List<String> shardValues = new ArrayList<>();
    for (int s = 0; s < ShardedBurst.SHARDS.size(); s++) {
      shardValues.addAll(List.of("--set", "shards[" + s + "].name=" + ShardedBurst.SHARDS.get(s)));
    }
    for (HasMetadata object : Helm.template("keywarden", BenchCluster.OPERATOR_NAMESPACE, shardValues.toArray(String[]::new))) {
      if (object.getApiVersion().startsWith("rbac.authorization.k8s.io/")) {
        cluster.admin.resource(object).createOr(NonDeletingOperation::update);
      }
    }
    List<OperatorProcess> shards = new ArrayList<>();
    try {
      for (String shard : ShardedBurst.SHARDS) {
        shards.add(startOperator(Map.of("KEYWARDEN_SHARD", shard)));
      }
      awaitProviderReady(SHARDS_NS, "aws");
      say("time to Ready: " + n + " AccessKeys on moto over shards " + ShardedBurst.SHARDS);
      ApiRequests before = ApiRequests.read(cluster.admin);
      DoubleSupplier calls = () -> shards.stream().mapToDouble(o -> o.backendCalls(SHARDS_NS, "aws")).sum();
      Burst.Result burst;
      CallRate.Figures rate;
      try (CallRate sampler = CallRate.start(calls)) {
        burst = Burst.run(cluster.admin, SHARDS_NS, n, i -> ShardedBurst.key(SHARDS_NS, i, shardUser(i)), Duration.ofMinutes(20));
        rate = sampler.figures();
      }
      report.shards(oneInstance, oneInstanceRequests, oneInstanceRate, burst,
          ApiRequests.Delta.between(before, ApiRequests.read(cluster.admin)), rate);
    } finally {
      for (OperatorProcess shard : shards) {
        shard.close();
      }
    }
  }

  // --- MinIO: time to Ready, against mc and a bare admin client -----------------------------------

  private void minioPhases(MinioServer minio) throws Exception {
    say("creating " + MINIO_USERS + " MinIO users");
    for (int u = 0; u < MINIO_USERS; u++) {
      minio.createUser(minioUser(u), "readwrite");
    }
    cluster.createNamespace(MINIO_NS);
    cluster.admin.resource(Fixtures.credentialsSecret(MINIO_NS, "minio-root", minio.rootCredentials().accessKey(),
        minio.rootCredentials().secretKey().reveal())).create();
    cluster.admin.resource(minioProvider(minio)).create();

    OperatorProcess operator = startOperator();
    awaitProviderReady(MINIO_NS, "minio");
    awaitConfirmed(operator, n); // the moto keys are confirmed first: the burst measures MinIO alone
    int adminCalls = adminCalls();
    say("time to Ready: " + m + " AccessKeys on MinIO (" + adminCalls + " admin calls at once)");
    ApiRequests before = ApiRequests.read(cluster.admin);
    double callsBefore = operator.backendCalls(MINIO_NS, "minio");
    GcLog gcBefore = operator.gcLog();
    Burst.Result burst;
    CallRate.Figures rate;
    OperatorProcess running = operator;
    try (CallRate sampler = CallRate.start(() -> running.backendCalls(MINIO_NS, "minio"))) {
      burst = Burst.run(cluster.admin, MINIO_NS, m,
          i -> Fixtures.accessKey(MINIO_NS, "key-" + i, "minio", minioUser(i % MINIO_USERS)), Duration.ofMinutes(20));
      rate = sampler.figures();
    }
    double backendCalls = operator.backendCalls(MINIO_NS, "minio") - callsBefore;
    GcLog gc = operator.gcLog().since(gcBefore);
    long peakRss = operator.rss()[1];
    report.timeToReady("MinIO", burst, ApiRequests.Delta.between(before, ApiRequests.read(cluster.admin)), backendCalls);
    report.callRate("MinIO", rate, budget("minio"));
    operator.close();

    say("mc admin accesskey create, " + m + " keys, " + adminCalls + " at once");
    double mc = MinioLoops.mcLoop(minio, m, adminCalls, i -> minioUser(i % MINIO_USERS));
    say("bare admin client, " + m + " keys, " + adminCalls + " at once");
    double bare = MinioLoops.bareAdminLoop(minio, m, adminCalls, i -> minioUser(i % MINIO_USERS));
    report.minioThroughput(adminCalls, burst.keysPerSecond(), mc, bare, gc, peakRss, burst.totalSeconds());
  }

  // --- helpers ---------------------------------------------------------------------------------

  private OperatorProcess startOperator() throws Exception {
    return startOperator(Map.of());
  }

  private OperatorProcess startOperator(Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "KEYWARDEN_RECONCILE_THREADS", Integer.toString(THREADS),
        "KEYWARDEN_RESYNC_INTERVAL", INTERVAL.toSeconds() + "s",
        BudgetLimit.ENV, BUDGET));
    String adminCalls = System.getenv("KEYWARDEN_MINIO_ADMIN_CALLS"); // to compare caps: KEYWARDEN_MINIO_ADMIN_CALLS=1 make bench
    if (adminCalls != null) {
      env.put("KEYWARDEN_MINIO_ADMIN_CALLS", adminCalls);
    }
    env.putAll(extraEnv);
    OperatorProcess operator = OperatorProcess.start(jar, cluster.serviceAccountKubeconfig, workDir,
        "operator-" + (++operatorRuns), env);
    operator.awaitReady(Duration.ofMinutes(5));
    return operator;
  }

  /** The budget the run sets for a backend kind, by keywarden's own parsing of the setting. */
  private static BudgetLimit budget(String backend) {
    return BudgetLimit.fromEnvironment(Map.of(BudgetLimit.ENV, BUDGET)).get(backend);
  }

  /** Waits until the new process has confirmed every key: its gauge counts keys it found Ready. */
  private static double awaitConfirmed(OperatorProcess operator, int keys) {
    return operator.awaitMetrics(p -> p.sum("keywarden_access_keys") >= keys, Duration.ofMinutes(20));
  }

  /** The MinIO admin-call cap the operator derives from its heap (or its environment), by keywarden's own rule. */
  private static int adminCalls() {
    return AdminCallLimit.forHeap(System.getenv(), OperatorProcess.HEAP_BYTES);
  }

  private void awaitProviderReady(String namespace, String name) {
    long deadline = Clock.now() + Duration.ofMinutes(2).toNanos();
    while (Clock.now() < deadline) {
      AccessKeyProvider p = cluster.admin.resources(AccessKeyProvider.class).inNamespace(namespace).withName(name).get();
      if (p != null && p.getStatus() != null && Conditions.isTrue(p.getStatus().conditions, Conditions.READY)) {
        return;
      }
      Clock.sleep(200);
    }
    throw new IllegalStateException("provider " + namespace + "/" + name + " did not become Ready");
  }

  private AccessKeyProvider minioProvider(MinioServer minio) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.getMetadata().setNamespace(MINIO_NS);
    provider.getMetadata().setName("minio");
    ProviderSpec spec = new ProviderSpec();
    spec.minio = new MinioProvider();
    spec.minio.endpoint = minio.endpoint().toString();
    spec.minio.credentials = new MinioCredentials();
    spec.minio.credentials.secretRef = new SecretRef("minio-root");
    provider.setSpec(spec);
    return provider;
  }

  /** A Secret keywarden has nothing to do with, of about the size of the ones it writes. */
  private static Secret unrelatedSecret(int i) {
    return new SecretBuilder().withNewMetadata().withNamespace(AWS_NS).withName("unrelated-" + i)
        .withLabels(Map.of(UNRELATED_LABEL, "true")).endMetadata()
        .withStringData(Map.of("password", "not-a-secret-" + i, "username", "app-" + i)).build();
  }

  private static String user(int i) {
    return "bench-" + i;
  }

  private static String shardUser(int i) {
    return "bench-shard-" + i;
  }

  private static String minioUser(int u) {
    return "bench-" + u;
  }

  private interface IntTask {
    void run(int i) throws Exception;
  }

  private static void parallel(int count, int threads, IntTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static void say(String text) {
    System.out.println("==> " + text);
    System.out.flush();
  }
}
