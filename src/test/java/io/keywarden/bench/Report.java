package io.keywarden.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures, each with its floor and their ratio, rendered as one table. */
final class Report {
  private record Floor(Burst.Result burst, ApiRequests.Delta api) {}

  private final int n;
  private final int m;
  private final Map<Integer, Floor> floors = new HashMap<>();
  private final Table table = new Table("FIGURE", "KEYWARDEN", "FLOOR", "RATIO", "FLOOR IS");

  Report(int n, int m) {
    this.n = n;
    this.m = m;
  }

  void floor(int size, Burst.Result burst, ApiRequests.Delta api) {
    floors.put(size, new Floor(burst, api));
  }

  void timeToReady(String backend, Burst.Result burst, ApiRequests.Delta api, double backendCalls) {
    Floor floor = floors.get(burst.keys());
    String what = "plain fabric8, same SA, " + Bench.THREADS + " threads";
    int keys = burst.keys();
    table.section("Time to Ready: " + keys + " AccessKeys created at once, " + backend);
    row("  total", seconds(burst.totalSeconds()), seconds(floor.burst().totalSeconds()),
        ratio(burst.totalSeconds(), floor.burst().totalSeconds()), what);
    row("  p50 per key", seconds(burst.percentiles().at(50)), seconds(floor.burst().percentiles().at(50)),
        ratio(burst.percentiles().at(50), floor.burst().percentiles().at(50)), "");
    row("  p99 per key", seconds(burst.percentiles().at(99)), seconds(floor.burst().percentiles().at(99)),
        ratio(burst.percentiles().at(99), floor.burst().percentiles().at(99)), "");
    row("  API writes per key", perKey(api.writes(), keys), perKey(floor.api().writes(), keys),
        ratio(api.writes(), floor.api().writes()), "finalizer + Secret + status");
    row("    of which status writes", perKey(api.statusWrites(), keys), perKey(floor.api().statusWrites(), keys),
        ratio(api.statusWrites(), floor.api().statusWrites()), "");
    row("    of which Events", perKey(api.eventWrites(), keys), perKey(floor.api().eventWrites(), keys), "-", "");
    row("  API reads per key (GET, LIST)", perKey(api.reads(), keys), perKey(floor.api().reads(), keys),
        ratio(api.reads(), floor.api().reads()), "");
    // near equal when the API server's writes (etcd) are what both wait for
    double writeRate = api.writes() / burst.totalSeconds();
    double floorWriteRate = floor.api().writes() / floor.burst().totalSeconds();
    row("  API writes per second", rate(writeRate), rate(floorWriteRate), ratio(writeRate, floorWriteRate),
        "what the API server took");
    row("  backend calls per key", perKey(backendCalls, keys), "1.00", ratio(backendCalls, keys), "one create");
  }

  /** The moto burst served by two shard instances, against the same burst served by one. */
  void shards(Burst.Result one, ApiRequests.Delta oneApi, CallRate.Figures oneRate, Burst.Result two,
      ApiRequests.Delta twoApi, CallRate.Figures twoRate) {
    int keys = two.keys();
    String what = "one instance, the burst above";
    table.section("Shards: " + keys + " AccessKeys over two instances (KEYWARDEN_SHARD=" + String.join(", ", ShardedBurst.SHARDS)
        + "), moto, each with its own budget");
    row("  total", seconds(two.totalSeconds()), seconds(one.totalSeconds()), ratio(two.totalSeconds(), one.totalSeconds()), what);
    row("  p50 per key", seconds(two.percentiles().at(50)), seconds(one.percentiles().at(50)),
        ratio(two.percentiles().at(50), one.percentiles().at(50)), "");
    row("  p99 per key", seconds(two.percentiles().at(99)), seconds(one.percentiles().at(99)),
        ratio(two.percentiles().at(99), one.percentiles().at(99)), "");
    row("  backend calls per second, mean", rate(twoRate.mean()), rate(oneRate.mean()), ratio(twoRate.mean(), oneRate.mean()),
        "a budget per instance and provider");
    row("  API writes per key", perKey(twoApi.writes(), keys), perKey(oneApi.writes(), one.keys()),
        ratio(twoApi.writes() / keys, oneApi.writes() / one.keys()), "without Leases");
    row("  Lease writes per key", perKey(twoApi.leaseWrites(), keys), perKey(oneApi.leaseWrites(), one.keys()), "-",
        "per-user Leases (sharded only) + leader election");
    row("  API reads per key (GET, LIST)", perKey(twoApi.reads(), keys), perKey(oneApi.reads(), one.keys()),
        ratio(twoApi.reads() / keys, oneApi.reads() / one.keys()), "");
    row("  kube-apiserver CPU per 1000 keys", seconds(1000 * twoApi.apiServerCpuSeconds() / keys),
        seconds(1000 * oneApi.apiServerCpuSeconds() / one.keys()),
        ratio(twoApi.apiServerCpuSeconds() / keys, oneApi.apiServerCpuSeconds() / one.keys()), "process_cpu_seconds_total");
    row("  kube-apiserver CPU share of the burst", percent(twoApi.apiServerCpuSeconds() / two.totalSeconds()),
        percent(oneApi.apiServerCpuSeconds() / one.totalSeconds()), "", "of one core");
  }

  void minioThroughput(int parallelism, double keywardenPerSecond, double mcPerSecond, double barePerSecond,
      GcLog gc, long peakRss, double burstSeconds) {
    table.section("MinIO: keys per second, " + parallelism + " admin calls at once (the cap the heap allows)");
    row("  keywarden vs mc loop", rate(keywardenPerSecond), rate(mcPerSecond), ratio(keywardenPerSecond, mcPerSecond),
        "mc admin accesskey create, " + parallelism + " at once");
    row("  keywarden vs bare admin client", rate(keywardenPerSecond), rate(barePerSecond),
        ratio(keywardenPerSecond, barePerSecond), "admin API loop in one JVM, " + parallelism + " at once");
    long argon = parallelism * (64L << 20);
    row("  peak heap used during the burst", mib(gc.peakUsedBytes()), mib(argon), ratio(gc.peakUsedBytes(), argon),
        parallelism + " x 64 MiB Argon2id; heap " + OperatorProcess.HEAP);
    row("  GC pause time (full collections)", seconds(gc.pauseSeconds()) + " (" + gc.fullCollections() + ")", "", "",
        "of " + seconds(burstSeconds) + " of burst; heap pressure shows here");
    row("  peak RSS (VmHWM)", mib(peakRss), "", "", "");
  }

  /** Calls per second at the backend while the burst ran, against the budget the run set. */
  void callRate(String backend, CallRate.Figures rate, io.keywarden.budget.BudgetLimit budget) {
    table.section("Call budget: backend calls per second during that burst, " + backend);
    row("  busiest second", String.format(Locale.ROOT, "%.0f", rate.peak()), String.format(Locale.ROOT, "%.0f", budget.callsPerSecond() + budget.burst()),
        ratio(rate.peak(), budget.callsPerSecond() + budget.burst()), "budget " + rate(budget.callsPerSecond()) + " + burst " + budget.burst());
    row("  mean over " + rate.seconds() + " s", rate(rate.mean()), rate(budget.callsPerSecond()),
        ratio(rate.mean(), budget.callsPerSecond()), "the budget's rate");
  }

  /**
   * One whole drift interval with every key Ready. The floor of backend calls is one per (provider,
   * user) scope; on moto every key has a user of its own, so it is the number of keys.
   */
  void idle(Duration interval, int scopes, ApiRequests.Delta api, Calls calls) {
    table.section("Steady state: one drift interval (" + interval.toSeconds() + " s, after one to settle), " + n + " keys Ready");
    zeroRow("  backend creates", calls.creates());
    row("  backend calls", count(calls.total()), count(scopes), ratio(calls.total(), scopes),
        "one per (provider, user) per interval");
    // the calls of one interval recur every interval whatever its length: at the default 5 minutes, 12 an hour
    row("    per hour at the default 5 min", count(calls.total() * 12), count(scopes * 12.0), ratio(calls.total(), scopes),
        "scopes x 3600 / 300");
    zeroRow("  API writes", api.writes());
    zeroRow("  status writes", api.statusWrites());
    zeroRow("  API reads (the checks use the informer caches)", api.reads());
  }

  void restart(double readyzSeconds, double confirmedSeconds, double floorSeconds, ApiRequests.Delta api, Calls calls) {
    table.section("Restart: a new operator process, " + n + " keys Ready");
    row("  start to all keys confirmed", seconds(confirmedSeconds), seconds(floorSeconds),
        ratio(confirmedSeconds, floorSeconds), "plain fabric8 JVM: start to informers synced");
    row("  start to /readyz (informers synced)", seconds(readyzSeconds), seconds(floorSeconds),
        ratio(readyzSeconds, floorSeconds), "(the 4 kinds keywarden watches, same SA)");
    zeroRow("  backend creates", calls.creates());
    zeroRow("  backend calls for keys (checks wait for their slot)", calls.total() - calls.providerChecks());
    row("  provider checks (whoAmI)", count(calls.providerChecks()), "1", ratio(calls.providerChecks(), 1),
        "the provider's own Ready check, once per process");
    zeroRow("  API writes", api.writes());
    zeroRow("  status writes", api.statusWrites());
    row("  API reads", count(api.reads()), "4", ratio(api.reads(), 4), "one LIST per kind");
  }

  void memory(long heap, long rss, long heapWithSecrets, long rssWithSecrets) {
    table.section("Memory: " + n + " keys, then also " + 10 * n + " unrelated Secrets (fresh process each)");
    row("  RSS", mib(rssWithSecrets), mib(rss), ratio(rssWithSecrets, rss), "RSS with " + n + " keys only");
    row("  heap live after a full GC", mib(heapWithSecrets), mib(heap), ratio(heapWithSecrets, heap),
        "heap with " + n + " keys only");
  }

  String render() {
    return "keywarden benchmark: N=" + n + " (moto), M=" + m + " (MinIO)\n" + table.render();
  }

  private void row(String... cells) {
    table.row(cells);
  }

  private void zeroRow(String figure, double value) {
    table.row(figure, count(value), "0", "-", "nothing to do");
  }

  static String seconds(double s) {
    if (Double.isNaN(s)) {
      return "-";
    }
    return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.1f s", s);
  }

  static String ratio(double value, double floor) {
    if (floor == 0 || Double.isNaN(value) || Double.isNaN(floor)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", value / floor);
  }

  static String perKey(double total, int keys) {
    return String.format(Locale.ROOT, "%.2f", total / keys);
  }

  static String count(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f/s", perSecond);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
