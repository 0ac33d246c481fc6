package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which key ids other AccessKeys and keywarden Secrets hold: recovery never deletes those. */
final class KeyReferences {
  private final KubernetesClient client;
  /** The namespaces served; empty for all. */
  private final Set<String> namespaces;

  KeyReferences(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = namespaces;
  }

  /**
   * Key ids named by any other AccessKey's status (its fence included) or any keywarden Secret but this one's, in the
   * namespaces this operator serves (a namespace-scoped install may not list the others).
   */
  Set<String> elsewhere(AccessKey self) {
    Set<String> ids = new HashSet<>();
    for (AccessKey other : accessKeys()) {
      if (other.getStatus() != null && !other.getMetadata().getUid().equals(self.getMetadata().getUid())) {
        ids.add(other.getStatus().accessKeyId);
        ids.add(other.getStatus().previousAccessKeyId);
        if (other.getStatus().pendingCreate != null) {
          ids.add(other.getStatus().pendingCreate.accessKeyId); // a new key on its way to that AccessKey's Secret
        }
      }
    }
    for (Secret secret : publishedSecrets()) {
      if (!PublishedSecret.isOwnedBy(secret, self)) {
        PublishedSecret.accessKeyId(secret).ifPresent(ids::add);
      }
    }
    ids.remove(null);
    return ids;
  }

  private List<AccessKey> accessKeys() {
    return namespaces.isEmpty()
        ? client.resources(AccessKey.class).inAnyNamespace().list().getItems()
        : namespaces.stream()
            .flatMap(ns -> client.resources(AccessKey.class).inNamespace(ns).list().getItems().stream()).toList();
  }

  private List<Secret> publishedSecrets() {
    return namespaces.isEmpty()
        ? client.secrets().inAnyNamespace().withLabel(SecretRenderer.MANAGED_BY_LABEL, SecretRenderer.MANAGED_BY)
            .list().getItems()
        : namespaces.stream().flatMap(ns -> client.secrets().inNamespace(ns)
            .withLabel(SecretRenderer.MANAGED_BY_LABEL, SecretRenderer.MANAGED_BY).list().getItems().stream()).toList();
  }
}
