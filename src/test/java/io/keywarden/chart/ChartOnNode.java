package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.testsupport.LocalNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * keywarden as users run it: a real node ({@link LocalNode}) with the operator image built by Jib
 * (hack/build-operator-image.sh) and the workload images imported, namespaces that enforce the
 * restricted Pod Security Standard, and helm acting on charts/keywarden with that image.
 */
final class ChartOnNode implements AutoCloseable {
  static final String RELEASE = "keywarden";
  static final String OPERATOR_NS = "keywarden";
  static final String IMAGE_REPOSITORY = "keywarden.local/keywarden";
  static final String IMAGE_TAG = "local";
  static final Duration SLOW = Duration.ofMinutes(5);

  private final LocalNode node;

  private ChartOnNode(LocalNode node) {
    this.node = node;
  }

  /** Starts the node, imports the operator and tools images, creates the operator's and the given namespaces. */
  static ChartOnNode start(String... namespaces) {
    LocalNode node = LocalNode.start();
    ChartOnNode chart = new ChartOnNode(node);
    try {
      Path operatorImage = Path.of(Cli.lastLineOf("hack/build-operator-image.sh"));
      node.importImages(operatorImage, node.imageArchive("tools"));
      List<String> all = new ArrayList<>(List.of(OPERATOR_NS));
      all.addAll(List.of(namespaces));
      for (String ns : all) {
        node.client().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
            .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
            .endMetadata().build()).create();
      }
      return chart;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  LocalNode node() {
    return node;
  }

  KubernetesClient client() {
    return node.client();
  }

  /** {@code helm install} of the chart with the local image and the given {@code --set} values, waiting for Ready. */
  void install(String... values) {
    List<String> args = new ArrayList<>(List.of("install", RELEASE, Helm.CHART.toString(), "--namespace", OPERATOR_NS,
        "--set", "image.repository=" + IMAGE_REPOSITORY, "--set", "image.tag=" + IMAGE_TAG,
        "--set", "image.pullPolicy=Never", "--wait", "--timeout", "5m"));
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    helm(args.toArray(String[]::new));
  }

  void helm(String... args) {
    List<String> command = new ArrayList<>(List.of(args));
    command.add("--kubeconfig");
    command.add(node.kubeconfig().toString());
    Cli.Result result = Helm.run(command.toArray(String[]::new));
    assertThat(result.exitCode()).as("helm %s:\n%s", String.join(" ", args), result.output()).isZero();
  }

  /** The operator's pods that are not being deleted. */
  List<Pod> operatorPods() {
    return client().pods().inNamespace(OPERATOR_NS).withLabel("app.kubernetes.io/name", "keywarden").list().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Waits until exactly one operator pod runs and is Ready. */
  Pod onlyOperatorPod() {
    return await().atMost(SLOW).until(this::operatorPods, p -> p.size() == 1 && ready(p.get(0))).get(0);
  }

  int operatorRestarts(Pod pod) {
    Pod current = client().pods().resource(pod).get();
    return current.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  String leaseHolder() {
    Lease lease = client().leases().inNamespace(OPERATOR_NS).withName("keywarden-leader").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The host pid of the operator's JVM in this pod: the process whose cgroup names its container. */
  static long operatorPid(Pod pod) {
    String containerId = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^.*://", "");
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      Path cgroup = Path.of("/proc", Long.toString(p.pid()), "cgroup");
      try {
        if (Files.readString(cgroup).contains(containerId)
            && p.info().commandLine().map(c -> c.contains("io.keywarden.KeywardenOperator")).orElse(false)) {
          return p.pid();
        }
      } catch (IOException gone) {
        // the process ended while we looked
      }
    }
    throw new IllegalStateException("no operator process in container " + containerId);
  }

  /** A container as the restricted Pod Security Standard wants it, with a locally imported image. */
  static Container restricted(ContainerBuilder container) {
    return container.withImagePullPolicy("Never")
        .withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
        .build();
  }

  /** Sends a signal to a host process with kill(1). */
  static void signal(String signal, long pid) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      assertThat(p.waitFor()).as("kill -%s %d", signal, pid).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
