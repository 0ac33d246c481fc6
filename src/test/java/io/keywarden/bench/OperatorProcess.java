package io.keywarden.bench;

import io.keywarden.testsupport.Processes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One run of the packaged operator ({@code java -jar}, as the container runs it) signed in with a
 * ServiceAccount token, with its own ports, log and GC log. The heap is what the chart's default
 * gives a container (768 MiB limit, MaxRAMPercentage=60).
 */
final class OperatorProcess implements AutoCloseable {
  static final long HEAP_BYTES = 460L << 20;
  static final String HEAP = "-Xmx" + (HEAP_BYTES >> 20) + "m";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final long startedNanos;
  private final Path log;
  private final Path gcLog;
  private final int healthPort;
  private final int metricsPort;

  private OperatorProcess(Process process, long startedNanos, Path log, Path gcLog, int healthPort, int metricsPort) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    this.gcLog = gcLog;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /** Starts the jar; returns at once (see {@link #awaitReady}). */
  static OperatorProcess start(Path jar, Path kubeconfig, Path workDir, String name, Map<String, String> env) throws IOException {
    int healthPort = freePort();
    int metricsPort = freePort();
    Path log = workDir.resolve(name + ".log");
    Path gcLog = workDir.resolve(name + "-gc.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP, "-XX:+ExitOnOutOfMemoryError",
        "-Xlog:gc:file=" + gcLog, "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("KEYWARDEN_") || k.startsWith("AWS_"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("KEYWARDEN_NAMESPACE", "keywarden");
    builder.environment().put("KEYWARDEN_HEALTH_PORT", Integer.toString(healthPort));
    builder.environment().put("KEYWARDEN_METRICS_PORT", Integer.toString(metricsPort));
    builder.environment().putAll(env);
    long started = System.nanoTime();
    return new OperatorProcess(builder.start(), started, log, gcLog, healthPort, metricsPort);
  }

  /** Waits for /readyz (every informer synced); returns the seconds since the process started. */
  double awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (status("/readyz") != 200) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the operator was not ready within " + timeout + "; see " + log);
      }
      Clock.sleep(50);
    }
    return secondsSinceStart();
  }

  /** Polls the operator's metrics until they pass; returns the seconds since the process started. */
  double awaitMetrics(Predicate<PromText> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      PromText metrics = tryMetrics();
      if (metrics != null && condition.test(metrics)) {
        return secondsSinceStart();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the operator's metrics did not reach the expected state within " + timeout);
      }
      Clock.sleep(100);
    }
  }

  private double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  PromText metrics() {
    PromText metrics = tryMetrics();
    if (metrics == null) {
      throw new IllegalStateException("the operator's /metrics did not answer");
    }
    return metrics;
  }

  private PromText tryMetrics() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? PromText.parse(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Backend calls so far through one AccessKeyProvider, summed over operations and outcomes. */
  double backendCalls(String namespace, String provider) {
    String id = "AccessKeyProvider/" + namespace + "/" + provider;
    return metrics().sum("keywarden_backend_calls_total", s -> s.label("provider").equals(id));
  }

  /** The heap figures of the GC log so far. */
  GcLog gcLog() {
    try {
      return GcLog.parse(Files.readString(gcLog));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + gcLog, e);
    }
  }

  /** Live heap after a full collection asked for with jcmd (the JDK's own tool, no agent in the jar). */
  long liveHeapAfterFullGc() {
    int before = gcLog().collections();
    Cli.run(Duration.ofSeconds(60), Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), "GC.run");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (gcLog().collections() <= before && System.nanoTime() < deadline) {
      Clock.sleep(50); // the log is written asynchronously
    }
    return gcLog().lastLiveBytes();
  }

  /** Resident set size now and its peak (VmRSS, VmHWM of /proc/<pid>/status), in bytes. */
  long[] rss() {
    try {
      long rss = 0;
      long hwm = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kilobytes(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kilobytes(line);
        }
      }
      return new long[] {rss, hwm};
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the operator's /proc status", e);
    }
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGTERM, as Kubernetes stops a pod; the operator's shutdown hook stops its controllers. */
  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(30));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
