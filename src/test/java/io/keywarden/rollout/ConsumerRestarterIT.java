package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.Consumer;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.TestNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restarting consumers on a real kube-apiserver (no controller-manager: nothing rolls out, but the
 * API server bumps a Deployment's generation exactly when its pod template changes, and that is
 * what starts a rollout). Also what GitOps tools do to the annotation when they re-apply their
 * manifest: kubectl's client-side apply (Argo CD's default) and a server-side apply under another
 * field manager (Flux's kustomize-controller).
 */
@Tag("it")
class ConsumerRestarterIT {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(15);
  static LocalControlPlane controlPlane;
  static KubernetesClient client;

  String ns;
  Path manifest;

  @BeforeAll
  static void start() {
    controlPlane = LocalControlPlane.shared();
    client = controlPlane.client();
  }

  @BeforeEach
  void deployment() throws IOException {
    ns = TestNamespaces.create(client, "restart");
    manifest = Files.createTempFile("app-", ".yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app, namespace: %s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}, annotations: {team: billing}}
            spec:
              containers:
                - name: app
                  image: registry.invalid/app:1
                  envFrom: [{secretRef: {name: billing}}]
        """.formatted(ns));
    kubectlOk("apply", "-f", manifest.toString());
  }

  static Rotation consumers() {
    Rotation rotation = new Rotation();
    rotation.consumers = List.of(new Consumer(WorkloadKind.Deployment, "app"));
    return rotation;
  }

  Deployment app() {
    return client.apps().deployments().inNamespace(ns).withName("app").get();
  }

  String annotation(String accessKey) {
    return Workloads.templateAnnotation(app(), RestartAnnotation.key(accessKey));
  }

  @Test
  void twoKeysInOneWindowChangeThePodTemplateOnceAndTheSameRevisionNever() {
    long before = app().getMetadata().getGeneration();
    ConsumerRestarter restarter = new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW));

    restarter.restart(ns, consumers(), "billing", "billing", 2, false, T0);
    restarter.restart(ns, consumers(), "reports", "reports", 4, false, T0.plusSeconds(5));
    assertThat(app().getMetadata().getGeneration()).as("inside the window").isEqualTo(before);
    restarter.restart(ns, consumers(), "billing", "billing", 2, false, T0.plus(WINDOW));
    restarter.restart(ns, consumers(), "reports", "reports", 4, false, T0.plus(WINDOW));

    assertThat(app().getMetadata().getGeneration()).as("one template change").isEqualTo(before + 1);
    assertThat(annotation("billing")).isEqualTo("2");
    assertThat(annotation("reports")).isEqualTo("4");
    assertThat(app().getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("team", "billing");

    // a restarted operator asks again for the same revisions: nothing changes
    ConsumerRestarter afterRestart = new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW));
    assertThat(afterRestart.restart(ns, consumers(), "billing", "billing", 2, false, T0.plusSeconds(600)).complete()).isTrue();
    assertThat(afterRestart.restart(ns, consumers(), "reports", "reports", 4, true, T0.plusSeconds(600)).complete()).isTrue();
    assertThat(app().getMetadata().getGeneration()).isEqualTo(before + 1);

    // the next revision of one key restarts it again
    afterRestart.restart(ns, consumers(), "billing", "billing", 3, true, T0.plusSeconds(700));
    assertThat(app().getMetadata().getGeneration()).isEqualTo(before + 2);
    assertThat(annotation("billing")).isEqualTo("3");
    assertThat(annotation("reports")).isEqualTo("4");
  }

  @Test
  void aClientSideReapplyLeavesTheAnnotationAndStartsNoRollout() {
    // Argo CD's default: client-side apply, a three-way merge against last-applied-configuration
    new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW))
        .restart(ns, consumers(), "billing", "billing", 2, true, T0);
    long restarted = app().getMetadata().getGeneration();

    assertThat(kubectl("diff", "-f", manifest.toString()).exitCode()).as("client-side diff finds no change").isZero();
    kubectlOk("apply", "-f", manifest.toString());

    assertThat(annotation("billing")).isEqualTo("2");
    assertThat(app().getMetadata().getGeneration()).as("no rollout back").isEqualTo(restarted);
  }

  @Test
  void aServerSideReapplyUnderAnotherManagerLeavesTheAnnotationAndStartsNoRollout() {
    // Flux's kustomize-controller: server-side apply under its own field manager, forcing conflicts
    String[] ssa = {"--server-side", "--field-manager=kustomize-controller", "--force-conflicts", "-f", manifest.toString()};
    client.apps().deployments().inNamespace(ns).withName("app").delete();
    client.apps().deployments().inNamespace(ns).withName("app").waitUntilCondition(d -> d == null, 30, TimeUnit.SECONDS);
    kubectlOk(concat("apply", ssa));
    new ConsumerRestarter(new Workloads(client), new RestartDampener(WINDOW))
        .restart(ns, consumers(), "billing", "billing", 2, true, T0);
    long restarted = app().getMetadata().getGeneration();

    assertThat(kubectl(concat("diff", ssa)).exitCode()).as("server-side diff finds no change").isZero();
    kubectlOk(concat("apply", ssa));

    assertThat(annotation("billing")).isEqualTo("2");
    assertThat(app().getMetadata().getGeneration()).as("no rollout back").isEqualTo(restarted);
  }

  static String[] concat(String first, String... rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  record Result(int exitCode, String output) {}

  static Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(controlPlane.kubectl().toString(),
        "--kubeconfig", controlPlane.kubeconfigPath()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void kubectlOk(String... args) {
    Result result = kubectl(args);
    assertThat(result.exitCode()).as("kubectl " + String.join(" ", args) + "\n" + result.output()).isZero();
  }
}
