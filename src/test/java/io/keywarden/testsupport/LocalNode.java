package io.keywarden.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A single-node Kubernetes cluster on this machine ({@code hack/node.sh}): etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet, kube-proxy and containerd, with pods on the
 * bridge address {@value #BRIDGE_ADDRESS}. Processes on this machine that listen on that address
 * are reachable from pods.
 *
 * <p>Starting takes about a minute (and the first build of the binaries many minutes), so tests
 * share one instance per JVM through {@link #shared()}; {@link #start()} gives a private one to
 * close. Only one node can run on a machine at a time.
 */
public final class LocalNode implements AutoCloseable {

  /** The node's address on the pod network: the API server, the kubelet and NodePorts listen here. */
  public static final String BRIDGE_ADDRESS = "198.18.0.1";
  public static final String NODE_NAME = "keywarden-node";

  private static final String SCRIPT = "hack/node.sh";
  private static LocalNode shared;

  private final Path dir;
  private final Path kubeconfig;
  private final KubernetesClient client;
  private final Map<String, Path> images;
  private boolean closed;

  private LocalNode(Path dir, Path kubeconfig, Map<String, Path> images) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.images = images;
    try {
      this.client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The instance shared by every test of this JVM; stopped by a shutdown hook, never close it. */
  public static synchronized LocalNode shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-node-stop"));
    }
    return shared;
  }

  /** Builds what is missing, starts the node and waits until it is Ready. */
  public static LocalNode start() {
    Map<String, Path> images = HackScript.run("hack/build-images.sh", Duration.ofMinutes(30)).stream()
        .map(line -> line.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> Path.of(kv[1])));
    Path dir;
    try {
      dir = Files.createTempDirectory("keywarden-node-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = HackScript.run(SCRIPT, Duration.ofMinutes(40), "up", dir.toString());
    return new LocalNode(dir, HackScript.lastLineDirectory(out, SCRIPT), images);
  }

  /** A client authenticated as a member of system:masters. */
  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig file with the same admin credentials, for kubectl, helm or other processes. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The directory holding all of the node's state; gone after {@link #close()}. */
  public Path dir() {
    return dir;
  }

  /** An image archive {@code hack/build-images.sh} built ({@code pause}, {@code java-base}, {@code tools}). */
  public Path imageArchive(String name) {
    Path archive = images.get(name);
    if (archive == null) {
      throw new IllegalArgumentException("hack/build-images.sh built no image " + name + ": " + images.keySet());
    }
    return archive;
  }

  /** The image reference inside a {@link #imageArchive} archive ({@code keywarden.local/<name>:<key>}). */
  public String imageRef(String name) {
    String key = imageArchive(name).getParent().getFileName().toString().substring(name.length() + 1);
    return "keywarden.local/" + name + ":" + key;
  }

  /** Imports {@code docker save} archives into the node's containerd, for pods with {@code imagePullPolicy: Never}. */
  public void importImages(Path... archives) {
    String[] args = new String[archives.length + 2];
    args[0] = "import";
    args[1] = dir.toString();
    for (int i = 0; i < archives.length; i++) {
      args[i + 2] = archives[i].toString();
    }
    HackScript.run(SCRIPT, Duration.ofMinutes(10), args);
  }

  /** Stops every process of the node and removes everything it made on this machine. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    HackScript.run(SCRIPT, Duration.ofMinutes(5), "down", dir.toString());
  }
}
