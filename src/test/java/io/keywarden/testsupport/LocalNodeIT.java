package io.keywarden.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** hack/node.sh: a pod runs on the node, and taking the node down leaves nothing behind on this machine. */
@Tag("it")
class LocalNodeIT {

  @Test
  void runsAPodAndLeavesNothingBehind() {
    HostState before = HostState.read();
    String dir;
    try (LocalNode node = LocalNode.start()) {
      dir = node.dir().toString();
      KubernetesClient client = node.client();
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
      Pod pod = client.pods().inNamespace("default").resource(new PodBuilder()
              .withNewMetadata().withName("sandbox").endMetadata()
              .withNewSpec()
              .addNewContainer().withName("pause").withImage(node.imageRef("pause"))
              .withImagePullPolicy("Never").endContainer()
              .endSpec()
              .build())
          .create();
      Pod running = client.resource(pod).waitUntilCondition(
          p -> p != null && "Running".equals(p.getStatus().getPhase()), 3, TimeUnit.MINUTES);
      assertThat(running.getStatus().getPodIP()).startsWith("198.18.");
      assertThat(HostState.processesMentioning(dir)).isNotEmpty();
      assertThat(HostState.read()).isNotEqualTo(before);
    }
    HostState after = HostState.read();
    assertThat(HostState.processesMentioning(dir)).isEmpty();
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(dir))).isFalse();
    assertThat(after.mounts()).isEqualTo(before.mounts());
    assertThat(after.interfaces()).isEqualTo(before.interfaces());
    assertThat(after.iptablesRules()).isEqualTo(before.iptablesRules());
    assertThat(after.sysctls()).isEqualTo(before.sysctls());
    assertThat(after.hostPaths()).isEqualTo(before.hostPaths());
    assertThat(after.podCgroups()).isEqualTo(before.podCgroups());
  }
}
