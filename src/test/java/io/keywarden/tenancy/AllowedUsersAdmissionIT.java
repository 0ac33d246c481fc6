package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterProviderSpec;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.LocalControlPlane;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD's rule for spec.allowedUsers, checked by a real kube-apiserver at admission. */
@Tag("it")
class AllowedUsersAdmissionIT {
  static KubernetesClient admin;

  @BeforeAll
  static void crds() {
    admin = LocalControlPlane.shared().client();
    Crds.apply(admin);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci-bot", "app-*", "${namespace}.*", "team-${namespace}-?", "${identity}", "*", "a.b+c=d,e@f"})
  void accepts(String entry) {
    ClusterAccessKeyProvider created = admin.resource(provider(entry)).create();
    assertThat(created.getSpec().allowedUsers).containsExactly(entry);
    admin.resource(created).delete();
  }

  @ParameterizedTest
  @ValueSource(strings = {"${user}", "team-${ns}", "${identity}-x", "x${identity}", "$", "a$b", "${namespace"})
  void refusesUnknownSubstitutions(String entry) {
    assertThatThrownBy(() -> admin.resource(provider(entry)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.allowedUsers", "${namespace} is the only substitution");
        });
  }

  static ClusterAccessKeyProvider provider(String entry) {
    ClusterAccessKeyProvider provider = new ClusterAccessKeyProvider();
    provider.setMetadata(new ObjectMetaBuilder().withName("allowed-" + UUID.randomUUID().toString().substring(0, 8)).build());
    provider.setSpec(new ClusterProviderSpec());
    provider.getSpec().aws = Fixtures.awsProvider("x", "x", "http://127.0.0.1:1", "x").getSpec().aws;
    provider.getSpec().allowedUsers = List.of(entry);
    return provider;
  }
}
