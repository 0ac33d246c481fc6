package io.keywarden.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.secret.SecretRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The restart floor: a plain fabric8 program, started as a JVM of its own like the operator, that
 * informs on the four kinds keywarden watches and exits as soon as all four are synced. Run by
 * {@link #time} on the operator jar's classpath (for fabric8 and the model) plus the bench's
 * classes.
 */
public final class InformerFloor {
  private InformerFloor() {}

  public static void main(String[] args) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build(); // KUBECONFIG, as the operator
    List<SharedIndexInformer<?>> informers = List.of(
        client.resources(AccessKey.class).inAnyNamespace().runnableInformer(0),
        client.resources(AccessKeyProvider.class).inAnyNamespace().runnableInformer(0),
        client.resources(ClusterAccessKeyProvider.class).runnableInformer(0),
        client.secrets().inAnyNamespace().withLabel(SecretRenderer.MANAGED_BY_LABEL, SecretRenderer.MANAGED_BY).runnableInformer(0));
    List<CompletableFuture<Void>> synced = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers) { // started together, as the operator's event sources
      synced.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    Runtime.getRuntime().halt(0); // synced: what the operator's /readyz waits for
  }

  /** Seconds from starting the JVM to its exit once synced, signed in with {@code kubeconfig}. */
  static double time(Path operatorJar, Path kubeconfig, Path log) throws Exception {
    Path benchClasses = Path.of(InformerFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        OperatorProcess.HEAP, "-cp", operatorJar + java.io.File.pathSeparator + benchClasses, InformerFloor.class.getName())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    long start = Clock.now();
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("the informer floor program did not sync; see " + log);
    }
    return Clock.secondsSince(start);
  }
}
