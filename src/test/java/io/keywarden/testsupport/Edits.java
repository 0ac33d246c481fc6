package io.keywarden.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.keywarden.api.v1alpha1.AccessKey;

/**
 * A user's edits of an AccessKey as JSON merge patches. They carry no resourceVersion, as
 * `kubectl patch` does not, so the operator's concurrent status writes cannot make them conflict.
 */
public final class Edits {
  private Edits() {}

  public static void patch(KubernetesClient client, String namespace, String name, String mergePatch) {
    client.resources(AccessKey.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  public static void rotate(KubernetesClient client, String namespace, String name, String value) {
    patch(client, namespace, name, "{\"metadata\":{\"annotations\":{\"" + AccessKey.ROTATE_ANNOTATION + "\":\"" + value + "\"}}}");
  }
}
