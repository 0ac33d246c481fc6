package io.keywarden.testsupport;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import java.lang.reflect.Field;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd on loopback, started with fabric8 kube-api-test from the binaries
 * that {@code hack/build-control-plane.sh} builds (offline: kube-api-test never downloads).
 *
 * <p>The release is the pinned one unless the system property {@value #RELEASE_PROPERTY} is
 * {@code oldest}: then kube-apiserver is the oldest Kubernetes minor docs/installation.md claims
 * (the failsafe execution {@code oldest-kubernetes} runs the admission and lifecycle tests so).
 *
 * <p>Starting takes seconds (and the first build of the binaries many minutes), so tests share one
 * instance per JVM through {@link #shared()}; {@link #start()} gives a private one to close.
 */
public final class LocalControlPlane implements AutoCloseable {

  /** Issuer of service account tokens; /.well-known/openid-configuration names it. */
  public static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";

  /** {@code pinned} (the default) or {@code oldest}: the argument of the build script. */
  public static final String RELEASE_PROPERTY = "keywarden.kubernetes";

  private static final Path BUILD_SCRIPT = Path.of("hack", "build-control-plane.sh");

  private static LocalControlPlane shared;

  private final String version;
  private final Path binDir;
  private final Path dir;
  private final KubeAPIServer server;
  private final Path kubeconfig;
  private final KubernetesClient client;
  /** A kube-apiserver this class restarted itself; kube-api-test no longer knows about it. */
  private Process restartedApiServer;
  private boolean issuerPublished;

  private LocalControlPlane(String version, Path binDir, Path dir, KubeAPIServer server,
      Path kubeconfig, KubernetesClient client) {
    this.version = version;
    this.binDir = binDir;
    this.dir = dir;
    this.server = server;
    this.kubeconfig = kubeconfig;
    this.client = client;
  }

  /** The instance shared by every test of this JVM; stopped by a shutdown hook, never close it. */
  public static synchronized LocalControlPlane shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-control-plane-stop"));
    }
    return shared;
  }

  /** Builds the binaries if the cache lacks them, then starts etcd and kube-apiserver. */
  public static LocalControlPlane start() {
    Path binDir = buildBinaries();
    String version = binDir.getParent().getFileName().toString(); // <cache>/k8s/<version>/bin
    try {
      Path dir = Files.createTempDirectory("keywarden-control-plane-");
      String bareVersion = version.substring(1);
      linkBinaries(binDir,
          dir.resolve("k8s").resolve(bareVersion + Utils.platformSuffix(new OSInfo())));
      // Every setting that kube-api-test 7.5.2 would otherwise read from KUBE_API_TEST_* is
      // set here: it casts those environment strings to Boolean/Integer and fails.
      KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
          .withTestDir(dir.toString())
          .withApiServerVersion(bareVersion)
          .withOfflineMode(true)
          .withUpdateKubeConfig(false)
          .withWaitForEtcdHealthCheckOnStartup(false)
          .withStartupTimeout(120_000)
          .withApiServerFlag("--bind-address", "127.0.0.1")
          // kube-api-test appends its own --service-account-issuer values after these flags; the
          // first one given is the one tokens carry and discovery serves
          .withApiServerFlag("--service-account-issuer", SERVICE_ACCOUNT_ISSUER)
          .build());
      server.start();
      String kubeconfigYaml = server.getKubeConfigYaml();
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfigYaml);
      KubernetesClient client =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
      return new LocalControlPlane(version, binDir, dir, server, kubeconfig, client);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Kubernetes release of kube-apiserver, like {@code v1.34.4}. */
  public String version() {
    return version;
  }

  /** A client authenticated as a member of system:masters. */
  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig file with the same admin credentials, for kubectl or other processes. */
  public String kubeconfigPath() {
    return kubeconfig.toString();
  }

  public Path kubectl() {
    return binDir.resolve("kubectl");
  }

  /**
   * Stops kube-apiserver (SIGTERM, as a rolling update of a control plane does) and starts it
   * again with the same flags, port, certificates and etcd, so clients reconnect to the same
   * address and etcd keeps every object. kube-api-test 7.5.2 has no restart and treats any exit
   * of its process as fatal (it then stops etcd and deletes its data), so this takes the process
   * over: it marks kube-api-test's handle as stopped (reflection) before ending the process.
   */
  public synchronized void restartApiServer(Duration down) {
    restartApiServer(down, List.of());
  }

  /**
   * Makes this API server an OpenID issuer that a process on this machine can use, as a cluster
   * admin does for a real cluster: its discovery document names a JWKS address on loopback
   * ({@code --service-account-jwks-uri}; the issuer itself, {@value #SERVICE_ACCOUNT_ISSUER}, is
   * only reachable in a cluster), and anonymous clients may read both documents (the
   * {@code system:service-account-issuer-discovery} role bound to {@code system:unauthenticated}).
   * The port is only known after start, so the API server restarts once with the flag.
   *
   * @return the discovery document's URL
   */
  public synchronized URI publishIssuerDiscovery() {
    URI server = URI.create(client.getConfiguration().getMasterUrl());
    URI discovery = server.resolve("/.well-known/openid-configuration");
    if (!issuerPublished) {
      restartApiServer(Duration.ZERO, List.of("--service-account-jwks-uri", server.resolve("/openid/v1/jwks").toString()));
      client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
              .withNewMetadata().withName("keywarden-test-issuer-discovery").endMetadata()
              .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
              .withName("system:service-account-issuer-discovery").endRoleRef()
              .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group")
              .withName("system:unauthenticated").endSubject()
              .build())
          .serverSideApply();
      issuerPublished = true;
    }
    return discovery;
  }

  /** The PEM of the CA that signed the API server's serving certificate. */
  public String caCertificatePem() {
    Config config = client.getConfiguration();
    try {
      return config.getCaCertData() != null
          ? new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8)
          : Files.readString(Path.of(config.getCaCertFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void restartApiServer(Duration down, List<String> extraArgs) {
    try {
      Process running = restartedApiServer;
      if (running == null) {
        Object handle = field(server, "kubeApiServerProcess");
        setField(handle, "stopped", true);
        running = (Process) field(handle, "apiServerProcess");
      }
      ProcessHandle.Info info = running.info();
      List<String> command = new ArrayList<>();
      command.add(info.command().orElseThrow());
      command.addAll(List.of(info.arguments().orElseThrow()));
      command.addAll(extraArgs);
      running.destroy();
      running.waitFor(60, TimeUnit.SECONDS);
      Thread.sleep(down.toMillis());
      restartedApiServer = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("kube-apiserver-restarted.log").toFile())
          .start();
      long deadline = System.currentTimeMillis() + 120_000;
      while (!ready()) {
        if (System.currentTimeMillis() > deadline || !restartedApiServer.isAlive()) {
          throw new IllegalStateException("kube-apiserver did not come back; see " + dir.resolve("kube-apiserver-restarted.log"));
        }
        Thread.sleep(200);
      }
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot restart kube-apiserver", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean ready() {
    try {
      return "ok".equals(client.raw("/readyz"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }

  private static void setField(Object target, String name, Object value) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    field.set(target, value);
  }

  @Override
  public synchronized void close() {
    client.close();
    if (restartedApiServer != null) {
      restartedApiServer.destroy();
    }
    server.stop();
    deleteRecursively(dir);
  }

  private static Path buildBinaries() {
    try {
      Process build = new ProcessBuilder(BUILD_SCRIPT.toAbsolutePath().toString(),
              System.getProperty(RELEASE_PROPERTY, "pinned"))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String stdout = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (build.waitFor() != 0) {
        throw new IllegalStateException(BUILD_SCRIPT + " failed with exit code " + build.exitValue());
      }
      List<String> lines = stdout.strip().lines().toList();
      return Path.of(lines.get(lines.size() - 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Lays out the binaries where kube-api-test looks for them. etcd goes through a wrapper because
   * kube-api-test 7.5.2 makes it listen on 0.0.0.0; the wrapper keeps it on loopback.
   */
  private static void linkBinaries(Path binDir, Path target) throws IOException {
    Files.createDirectories(target);
    for (String name : List.of("kube-apiserver", "kubectl")) {
      Files.createSymbolicLink(target.resolve(name), binDir.resolve(name));
    }
    Path etcd = target.resolve("etcd");
    Files.writeString(etcd, "#!/usr/bin/env bash\nexec '" + binDir.resolve("etcd")
        + "' \"${@//0.0.0.0/127.0.0.1}\"\n");
    Files.setPosixFilePermissions(etcd, PosixFilePermissions.fromString("rwx------"));
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
