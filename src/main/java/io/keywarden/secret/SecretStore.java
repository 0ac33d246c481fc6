package io.keywarden.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.AccessKey;
import java.net.HttpURLConnection;
import java.util.ArrayList;

/**
 * Reads and writes the Secret of an AccessKey against the API server (not a cache): decisions
 * about a one-time secret must not rest on a stale copy. Never touches a Secret it does not own.
 */
public final class SecretStore {
  private final KubernetesClient client;

  public SecretStore(KubernetesClient client) {
    this.client = client;
  }

  public Secret read(AccessKey accessKey) {
    return client
        .secrets()
        .inNamespace(accessKey.getMetadata().getNamespace())
        .withName(SecretRenderer.secretName(accessKey))
        .get();
  }

  /**
   * Creates the Secret or replaces the one this AccessKey owns.
   *
   * @throws SecretOwnershipConflict if a Secret of that name belongs to someone else
   */
  public Secret write(AccessKey accessKey, Secret rendered) {
    Secret existing = read(accessKey);
    return existing == null ? create(accessKey, rendered) : replace(accessKey, existing, rendered);
  }

  /**
   * Like {@link #write}, for a Secret a fresh read found missing moments ago: creates it without
   * reading again (one request less for every new key); one that appeared meanwhile is replaced if
   * this AccessKey owns it.
   */
  public Secret create(AccessKey accessKey, Secret rendered) {
    try {
      return client.resource(rendered).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    return replace(accessKey, read(accessKey), rendered);
  }

  private Secret replace(AccessKey accessKey, Secret existing, Secret rendered) {
    if (existing == null || !PublishedSecret.isOwnedBy(existing, accessKey)) {
      throw new SecretOwnershipConflict(rendered.getMetadata().getNamespace(), rendered.getMetadata().getName());
    }
    Secret replacement = new Secret();
    replacement.setMetadata(existing.getMetadata());
    replacement.getMetadata().setLabels(rendered.getMetadata().getLabels());
    replacement.getMetadata().setAnnotations(rendered.getMetadata().getAnnotations());
    replacement.getMetadata().setOwnerReferences(rendered.getMetadata().getOwnerReferences());
    replacement.setType(existing.getType());
    replacement.setData(rendered.getData());
    return client.resource(replacement).update();
  }

  public void delete(AccessKey accessKey) {
    Secret existing = read(accessKey);
    if (existing != null && PublishedSecret.isOwnedBy(existing, accessKey)) {
      client.resource(existing).delete();
    }
  }

  /** deletionPolicy Retain: the Secret outlives its AccessKey, so garbage collection must not take it. */
  public void release(AccessKey accessKey) {
    Secret existing = read(accessKey);
    if (existing != null && PublishedSecret.isOwnedBy(existing, accessKey)) {
      existing.getMetadata().setOwnerReferences(new ArrayList<>());
      client.resource(existing).update();
    }
  }

  public static final class SecretOwnershipConflict extends RuntimeException {
    public SecretOwnershipConflict(String namespace, String name) {
      super("spec.secret.name: Secret " + namespace + "/" + name
          + " exists and is not owned by this AccessKey; keywarden never overwrites it");
    }
  }
}
