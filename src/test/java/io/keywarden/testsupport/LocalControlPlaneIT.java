package io.keywarden.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("it")
class LocalControlPlaneIT {

  private static final String NS = "smoke";

  private static LocalControlPlane plane;
  private static KubernetesClient client;

  @BeforeAll
  static void startPlane() {
    plane = LocalControlPlane.shared();
    client = plane.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
        .endMetadata().build()).serverSideApply();
  }

  @Test
  void versionEndpointReportsThePinnedRelease() throws Exception {
    // the release hack/k8s-release.sh pins for the one -Dkeywarden.kubernetes asks for
    String variable = "oldest".equals(System.getProperty(LocalControlPlane.RELEASE_PROPERTY))
        ? "K8S_OLDEST_VERSION=" : "K8S_VERSION=";
    String pinned = Files.readAllLines(Path.of("hack", "k8s-release.sh")).stream()
        .filter(line -> line.startsWith(variable)).findFirst().orElseThrow()
        .substring(variable.length());
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(pinned);
    assertThat(plane.version()).isEqualTo(pinned);
  }

  @Test
  void storesObjectsAndServesKubectl() throws Exception {
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("greeting").endMetadata().addToData("hello", "world").build()).create();
    assertThat(client.configMaps().inNamespace(NS).withName("greeting").get().getData())
        .containsEntry("hello", "world");

    Process kubectl = new ProcessBuilder(plane.kubectl().toString(),
        "--kubeconfig", plane.kubeconfigPath(), "get", "ns", "-o", "name")
        .redirectErrorStream(true).start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor()).as(out).isZero();
    assertThat(out.lines()).contains("namespace/default", "namespace/" + NS);
  }

  @Test
  void crdValidationRulesAreEnforcedAtAdmission() {
    CustomResourceDefinition crd = Serialization.unmarshal("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: ranges.smoke.keywarden.io
        spec:
          group: smoke.keywarden.io
          scope: Namespaced
          names: {plural: ranges, singular: range, kind: Range}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        min: {type: integer}
                        max: {type: integer}
                      x-kubernetes-validations:
                        - rule: self.min <= self.max
                          message: min must not exceed max
        """, CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(k -> k.getType().equals("Established") && k.getStatus().equals("True")),
            30, TimeUnit.SECONDS);
    var ranges = client.genericKubernetesResources("smoke.keywarden.io/v1", "Range").inNamespace(NS);

    ranges.resource(range("good", 1, 2)).create();
    assertThatThrownBy(() -> ranges.resource(range("bad", 3, 2)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("min must not exceed max");
        });
    assertThat(ranges.withName("bad").get()).isNull();
  }

  @Test
  void issuesServiceAccountTokensForTheConfiguredIssuer() {
    client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder()
        .withNewMetadata().withName("robot").endMetadata().build()).create();
    String token = client.serviceAccounts().inNamespace(NS).withName("robot")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences("sts.amazonaws.com")
            .endSpec().build())
        .getStatus().getToken();
    Map<?, ?> claims = Serialization.unmarshal(new String(
        Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8), Map.class);
    assertThat(claims.get("iss")).isEqualTo(LocalControlPlane.SERVICE_ACCOUNT_ISSUER);
    assertThat(claims.get("sub")).isEqualTo("system:serviceaccount:" + NS + ":robot");

    Map<?, ?> discovery =
        Serialization.unmarshal(client.raw("/.well-known/openid-configuration"), Map.class);
    assertThat(discovery.get("issuer")).isEqualTo(LocalControlPlane.SERVICE_ACCOUNT_ISSUER);
  }

  private static GenericKubernetesResource range(String name, int min, int max) {
    GenericKubernetesResource range = new GenericKubernetesResource();
    range.setApiVersion("smoke.keywarden.io/v1");
    range.setKind("Range");
    range.setMetadata(new ObjectMetaBuilder().withName(name).build());
    range.setAdditionalProperty("spec", Map.of("min", min, "max", max));
    return range;
  }
}
