package io.keywarden.testsupport;

import io.keywarden.backend.SecretValue;
import io.keywarden.backend.minio.CaBundle;
import io.keywarden.backend.minio.MinioKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real MinIO server (built by {@code hack/build-minio.sh}) on 127.0.0.1 and a free port, with a
 * fresh data directory and random root credentials; one per test class. Users, policies and
 * buckets are set up with the real {@link Mc}. {@link #startTls()} serves https with a certificate
 * of a private {@link TestCa}, which this class's own probes and its {@link Mc} trust.
 */
public final class MinioServer implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI endpoint;
  private final Path dir;
  private final Path log;
  private final Credentials root;
  private final Path mcConfig;
  private final String caPem;
  private final Thread shutdownHook;
  private final HttpClient http;

  /** Access key and secret key, the secret masked in {@link #toString()}. */
  public record Credentials(String accessKey, SecretValue secretKey) {}

  private MinioServer(Process process, URI endpoint, Path dir, Path log, Credentials root, String caPem)
      throws IOException {
    this.process = process;
    this.endpoint = endpoint;
    this.dir = dir;
    this.log = log;
    this.root = root;
    this.caPem = caPem;
    this.mcConfig = Files.createDirectories(dir.resolve("mc"));
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (caPem != null) {
      // mc reads extra CAs from <config dir>/certs/CAs (MC_CONFIG_DIR is this private directory)
      Files.writeString(Files.createDirectories(mcConfig.resolve("certs").resolve("CAs")).resolve("test-ca.crt"), caPem);
      http.sslContext(CaBundle.parse(caPem).sslContext());
    }
    this.http = http.build();
    this.shutdownHook = new Thread(this::stopProcess, "minio-server-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Builds the binaries if needed, starts MinIO and waits until it serves requests. */
  public static MinioServer start() {
    return start("127.0.0.1", false);
  }

  /** Like {@link #start()}, listening on {@code host} (the local node's bridge address, for pods). */
  public static MinioServer start(String host) {
    return start(host, false);
  }

  /** Like {@link #start()}, serving https on 127.0.0.1 with a server certificate of a fresh private CA. */
  public static MinioServer startTls() {
    return start("127.0.0.1", true);
  }

  private static MinioServer start(String host, boolean tls) {
    Path bin = MinioTools.binDir();
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return startOn(bin, host, freePort(), freePort(), tls);
      } catch (IllegalStateException e) {
        last = e; // most likely a port was taken between probing and binding: try others
      }
    }
    throw last;
  }

  private static MinioServer startOn(Path bin, String host, int port, int consolePort, boolean tls) {
    MinioServer server;
    try {
      Path dir = Files.createTempDirectory("minio-" + port + "-");
      Path log = dir.resolve("minio.log");
      String caPem = null;
      if (tls) {
        // MinIO serves https when <certs-dir> holds public.crt and private.key
        TestCa ca = TestCa.create(dir.resolve("ca"), "keywarden test CA " + port);
        ca.issueServerCertificate(dir.resolve("certs"));
        caPem = ca.certificatePem();
      }
      Credentials root = new Credentials("root-" + port, MinioKeys.generateSecretKey());
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      bin.resolve("minio").toString(), "server", "--quiet",
                      "--address", host + ":" + port,
                      "--console-address", host + ":" + consolePort,
                      "--certs-dir", Files.createDirectories(dir.resolve("certs")).toString(),
                      Files.createDirectories(dir.resolve("data")).toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("MINIO_") || k.startsWith("MC_"));
      env.put("MINIO_ROOT_USER", root.accessKey());
      env.put("MINIO_ROOT_PASSWORD", root.secretKey().reveal());
      env.put("MINIO_BROWSER", "off");
      env.put("MINIO_UPDATE", "off");
      env.put("HOME", dir.toString());
      URI endpoint = URI.create((tls ? "https" : "http") + "://" + host + ":" + port);
      server = new MinioServer(pb.start(), endpoint, dir, log, root, caPem);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start minio", e);
    }
    try {
      server.awaitReady();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Ready means the health check passes and IAM answers (an admin call right after start may get 503). */
  private void awaitReady() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("minio exited with " + process.exitValue() + " before answering:\n" + logTail());
      }
      if (answers("/minio/health/ready") && mc().run("admin", "user", "list", Mc.ALIAS).ok()) {
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException("minio did not answer within " + STARTUP_TIMEOUT + ":\n" + logTail());
  }

  private boolean answers(String path) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for minio", e);
    }
  }

  /** {@code http(s)://127.0.0.1:<port>}: S3 and the admin API. */
  public URI endpoint() {
    return endpoint;
  }

  /** The PEM of the CA that signed the server certificate ({@link #startTls()}), else null. */
  public String caCertificatePem() {
    return caPem;
  }

  public Credentials rootCredentials() {
    return root;
  }

  /** mc signing as the root user. */
  public Mc mc() {
    return new Mc(MinioTools.binDir().resolve("mc"), endpoint, root.accessKey(), root.secretKey(), mcConfig);
  }

  /** mc signing with the given credentials. */
  public Mc mc(Credentials credentials) {
    return mc().as(credentials.accessKey(), credentials.secretKey());
  }

  /**
   * Trusts a CA for MinIO's outgoing TLS (its OpenID discovery and JWKS fetches) the way MinIO
   * documents it: a PEM file in {@code <certs-dir>/CAs}, read at start, so call {@link #restart()}.
   */
  public void trustCa(String name, String pem) {
    try {
      Path cas = Files.createDirectories(dir.resolve("certs").resolve("CAs"));
      Files.writeString(cas.resolve(name + ".crt"), pem, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write CA " + name, e);
    }
  }

  /** Restarts MinIO in place ({@code mc admin service restart}) and waits until it serves again. */
  public void restart() {
    mc().json("admin", "service", "restart", Mc.ALIAS);
    awaitReady();
  }

  /** Creates a user with a random secret key and attaches the given policies (canned or created). */
  public Credentials createUser(String name, String... policies) {
    Credentials user = new Credentials(name, MinioKeys.generateSecretKey());
    mc().json("admin", "user", "add", Mc.ALIAS, name, user.secretKey().reveal());
    if (policies.length > 0) {
      mc().json("admin", "policy", "attach", Mc.ALIAS, String.join(",", policies), "--user", name);
    }
    return user;
  }

  /** Creates a policy from its JSON document. */
  public void createPolicy(String name, String document) {
    mc().json("admin", "policy", "create", Mc.ALIAS, name, writeFile("policy-" + name + ".json", document).toString());
  }

  /** A file in the server's temp directory (for mc flags that take a path, like {@code --policy}). */
  public Path writeFile(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + name, e);
    }
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private void stopProcess() {
    Processes.stop(process, Duration.ofSeconds(10));
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory
    }
  }

  /** The last lines of MinIO's log (it logs no secrets). */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
