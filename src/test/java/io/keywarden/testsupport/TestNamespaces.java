package io.keywarden.testsupport;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;

/** A fresh namespace per test on the shared API server, with the CRDs applied as a user applies them. */
public final class TestNamespaces {
  private TestNamespaces() {}

  /** Applies the CRDs and creates {@code <prefix>-<random>}; returns its name. */
  public static String create(KubernetesClient client, String prefix) {
    Crds.apply(client);
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }
}
