package io.keywarden.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed CRDs in crds/, applied as a user applies them. */
public final class Crds {
  public static final Path DIR = Path.of("crds");
  public static final List<String> FILES = List.of(
      "accesskeys.keywarden.io-v1.yml",
      "accesskeyproviders.keywarden.io-v1.yml",
      "clusteraccesskeyproviders.keywarden.io-v1.yml");

  private Crds() {}

  public static void apply(KubernetesClient client) {
    for (String file : FILES) {
      try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(NonDeletingOperation::update);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
