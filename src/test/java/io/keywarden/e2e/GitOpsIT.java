package io.keywarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.gitops.ArgoLua;
import io.keywarden.provider.BackendFactory;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a GitOps tool sees: re-applying the example manifests server-side after they are Ready
 * changes nothing (keywarden never writes into a spec), and the shipped Argo CD health check,
 * run by a Lua interpreter on real status objects, gives the right verdicts.
 */
@Tag("it")
class GitOpsIT {
  static final String MANAGER = "gitops-tool";
  static MotoServer moto;
  static AwsOnRealCluster cluster;
  static KeywardenOperator operator;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    cluster = new AwsOnRealCluster(moto);
    operator = KeywardenTestOperator.start(cluster.client, cluster.namespace, BackendFactory.CONNECT);
  }

  @AfterAll
  static void stop() {
    operator.close();
    moto.close();
  }

  @Test
  void reapplyingTheExamplesServerSideFindsNoDrift() throws IOException {
    List<GenericKubernetesResource> manifests = exampleManifests();
    manifests.forEach(this::apply);
    AccessKey ready = cluster.awaitReady("bob");
    assertThat(health(ready)).isEqualTo("Healthy");

    for (GenericKubernetesResource manifest : manifests) {
      HasMetadata before = cluster.client.genericKubernetesResources(manifest.getApiVersion(), manifest.getKind())
          .inNamespace(cluster.namespace).withName(manifest.getMetadata().getName()).get();
      HasMetadata after = apply(manifest);
      assertThat(after.getMetadata().getResourceVersion())
          .as("re-applying %s %s changes nothing", manifest.getKind(), manifest.getMetadata().getName())
          .isEqualTo(before.getMetadata().getResourceVersion());
    }
    List<ManagedFieldsEntry> managers = cluster.get("bob").getMetadata().getManagedFields();
    assertThat(managers).filteredOn(m -> !MANAGER.equals(m.getManager()))
        .allSatisfy(m -> assertThat(Serialization.asJson(m.getFieldsV1())).doesNotContain("\"f:spec\""));
  }

  @Test
  void theArgoCdHealthCheckReadsRealStatus() throws IOException {
    cluster.client.resource(Fixtures.accessKey(cluster.namespace, "no-provider", "missing", "Bob")).create();
    AccessKey degraded = cluster.awaitKey("no-provider", ak -> AwsOnRealCluster.reason(ak).equals("ProviderNotFound"));
    assertThat(health(degraded)).isEqualTo("Degraded");

    AccessKey fresh = Fixtures.accessKey(cluster.namespace, "fresh", "missing", "Bob");
    assertThat(health(cluster.client.resource(fresh).create())).as("no status yet").isEqualTo("Progressing");

    AccessKey newerSpec = Serialization.clone(degraded); // as seen right after a spec change
    newerSpec.getMetadata().setGeneration(degraded.getStatus().observedGeneration + 1);
    assertThat(health(newerSpec)).as("a newer generation is not judged by the old status").isEqualTo("Progressing");

    moto.createUser("Carol");
    AccessKey rotating = Fixtures.accessKey(cluster.namespace, "rotating", "aws", "Carol");
    rotating.getSpec().rotation = new io.keywarden.api.v1alpha1.Rotation();
    rotating.getSpec().rotation.gracePeriod = "2m";
    cluster.client.resource(rotating).create();
    assertThat(health(cluster.awaitReady("rotating"))).isEqualTo("Healthy");
    cluster.client.resources(AccessKey.class).inNamespace(cluster.namespace).withName("rotating")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"keywarden.io/rotate\":\"1\"}}}");
    AccessKey inGrace = cluster.awaitKey("rotating", ak -> ak.getStatus().previousAccessKeyId != null
        && io.keywarden.reconciler.Conditions.isTrue(ak.getStatus().conditions, "Rotating"));
    assertThat(health(inGrace)).isEqualTo("Progressing");
  }

  private HasMetadata apply(GenericKubernetesResource manifest) {
    return cluster.client.resource(manifest).inNamespace(cluster.namespace).fieldManager(MANAGER).serverSideApply();
  }

  /** deploy/examples/aws.yaml, pointed at moto the way the demo does it. */
  private static List<GenericKubernetesResource> exampleManifests() throws IOException {
    moto.createUser("bob");
    List<GenericKubernetesResource> manifests = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Path.of("deploy/examples/aws.yaml"))) {
      for (String document : new String(in.readAllBytes()).split("(?m)^---$")) {
        if (document.contains("kind:")) {
          manifests.add(Serialization.unmarshal(document, GenericKubernetesResource.class));
        }
      }
    }
    MotoServer.Credentials admin = moto.adminCredentials();
    for (GenericKubernetesResource manifest : manifests) {
      Map<String, Object> props = manifest.getAdditionalProperties();
      if (manifest.getKind().equals("Secret")) {
        props.put("stringData", Map.of("AWS_ACCESS_KEY_ID", admin.accessKeyId(),
            "AWS_SECRET_ACCESS_KEY", admin.secretAccessKey().reveal()));
      } else if (manifest.getKind().equals("AccessKeyProvider")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) ((Map<String, Object>) props.get("spec")).get("aws");
        aws.put("endpoint", moto.endpoint().toString());
      }
    }
    return manifests;
  }

  /** Runs the shipped Lua health check on an object as Argo CD would and returns hs.status. */
  static String health(HasMetadata object) {
    return ArgoLua.run("health.lua", Serialization.asJson(object)).get("status").asText();
  }
}
