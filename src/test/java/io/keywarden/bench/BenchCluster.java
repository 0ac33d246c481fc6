package io.keywarden.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.ServiceAccountKubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local control plane set up as a cluster install would be: keywarden's CRDs and the chart's
 * rendered manifests ({@code deploy/keywarden.yaml}: namespace, ServiceAccount, least-privilege
 * ClusterRole; the Deployment never runs, there is no kubelet), and a kubeconfig holding a token
 * of that ServiceAccount for the operator and the floor program.
 */
final class BenchCluster implements AutoCloseable {
  static final String OPERATOR_NAMESPACE = "keywarden";
  static final String SERVICE_ACCOUNT = "keywarden";

  final LocalControlPlane plane;
  final KubernetesClient admin;
  final Path serviceAccountKubeconfig;
  final KubernetesClient serviceAccount;

  private BenchCluster(LocalControlPlane plane, Path serviceAccountKubeconfig) {
    this.plane = plane;
    this.admin = plane.client();
    this.serviceAccountKubeconfig = serviceAccountKubeconfig;
    this.serviceAccount = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(readString(serviceAccountKubeconfig))).build();
  }

  static BenchCluster start(Path workDir) throws IOException {
    LocalControlPlane plane = LocalControlPlane.start();
    try {
      kubectl(plane, "apply", "-f", "crds/");
      kubectl(plane, "apply", "-f", "deploy/keywarden.yaml");
      return new BenchCluster(plane, serviceAccountKubeconfig(plane.client(), workDir));
    } catch (RuntimeException | IOException e) {
      plane.close();
      throw e;
    }
  }

  void createNamespace(String name) {
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  /**
   * Removes the floor program's AccessKeys and Secrets. Without a controller-manager nothing
   * collects garbage, so finalizers come off and Secrets go by hand.
   */
  void deleteFloorObjects(String namespace) throws Exception {
    List<AccessKey> keys = admin.resources(AccessKey.class).inNamespace(namespace).list().getItems();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (AccessKey ak : keys) {
        done.add(pool.submit(() -> {
          var resource = admin.resources(AccessKey.class).inNamespace(namespace).withName(ak.getMetadata().getName());
          resource.delete();
          resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    admin.secrets().inNamespace(namespace).withLabel(FloorOperator.LABEL).delete();
  }

  /** A kubeconfig with a TokenRequest token of keywarden's ServiceAccount: the operator signs in as its pod would. */
  private static Path serviceAccountKubeconfig(KubernetesClient admin, Path workDir) throws IOException {
    return ServiceAccountKubeconfig.write(admin, OPERATOR_NAMESPACE, SERVICE_ACCOUNT, Duration.ofHours(2),
        workDir.resolve("service-account.kubeconfig"));
  }

  private static void kubectl(LocalControlPlane plane, String... args) {
    List<String> command = new ArrayList<>(List.of(plane.kubectl().toString(), "--kubeconfig", plane.kubeconfigPath()));
    command.addAll(List.of(args));
    Cli.run(Duration.ofMinutes(2), command.toArray(String[]::new));
  }

  private static String readString(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    serviceAccount.close();
    plane.close();
  }
}
