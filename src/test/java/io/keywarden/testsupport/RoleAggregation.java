package io.keywarden.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * kube-controller-manager (built by {@code hack/build-node.sh}) running only its
 * ClusterRole aggregation controller against a {@link LocalControlPlane}: it copies the rules of
 * ClusterRoles labelled {@code rbac.authorization.k8s.io/aggregate-to-*} into the built-in view,
 * edit and admin roles, as on any real cluster. kube-apiserver alone only creates those roles.
 */
public final class RoleAggregation implements AutoCloseable {
  private final Process process;
  private final Path log;

  private RoleAggregation(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static RoleAggregation start(LocalControlPlane controlPlane) {
    String script = "hack/build-node.sh";
    Path bin = HackScript.lastLineDirectory(HackScript.run(script, Duration.ofMinutes(30)), script);
    try {
      Path log = Files.createTempFile("kube-controller-manager-", ".log");
      Process process = new ProcessBuilder(List.of(bin.resolve("kube-controller-manager").toString(),
              "--kubeconfig", controlPlane.kubeconfigPath(),
              "--controllers", "clusterrole-aggregation-controller",
              "--leader-elect=false",
              "--secure-port=0"))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      return new RoleAggregation(process, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start kube-controller-manager", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its output, for a failure message. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(10));
  }
}
