package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.PendingCreate;
import java.net.HttpURLConnection;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one writer of AccessKey status, with optimistic locking (PUT with the resourceVersion that
 * was read). The fence write never retries: a conflict means the copy was stale and nothing may be
 * created. Other writes re-read and re-apply their change, since they only record facts already
 * true.
 */
public final class StatusRecorder {
  private static final int MAX_ATTEMPTS = 5;
  private final KubernetesClient client;

  public StatusRecorder(KubernetesClient client) {
    this.client = client;
  }

  public AccessKey writeFence(AccessKey accessKey, PendingCreate fence) {
    AccessKey copy = copyOf(accessKey);
    copy.getStatus().pendingCreate = fence;
    try {
      return client.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        throw new FenceConflict("AccessKey changed since it was read; not creating a key");
      }
      throw e;
    }
  }

  public AccessKey update(AccessKey accessKey, Consumer<AccessKeyStatus> change) {
    return write(accessKey, status -> {
      change.accept(status);
      return status;
    });
  }

  /** Writes the status {@code next} makes of (a copy of) the newest one, re-reading on a conflict. */
  private AccessKey write(AccessKey accessKey, UnaryOperator<AccessKeyStatus> next) {
    AccessKey current = accessKey;
    for (int attempt = 1; ; attempt++) {
      AccessKey copy = copyOf(current);
      copy.setStatus(next.apply(copy.getStatus()));
      try {
        return client.resource(copy).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        current = fresh(accessKey);
      }
    }
  }

  /** Replaces the status whole (a copy of {@code status}), unless it is already that. */
  public AccessKey replace(AccessKey accessKey, AccessKeyStatus status) {
    if (Serialization.asJson(status).equals(Serialization.asJson(accessKey.getStatus()))) {
      return accessKey;
    }
    return write(accessKey, ignored -> Serialization.clone(status));
  }

  /** The AccessKey as the API server has it now, bypassing any cache. */
  public AccessKey fresh(AccessKey accessKey) {
    AccessKey latest =
        client
            .resources(AccessKey.class)
            .inNamespace(accessKey.getMetadata().getNamespace())
            .withName(accessKey.getMetadata().getName())
            .get();
    if (latest == null) {
      throw new KubernetesClientException("AccessKey " + accessKey.getMetadata().getName() + " is gone");
    }
    return latest;
  }

  static AccessKey copyOf(AccessKey accessKey) {
    AccessKey copy = Serialization.clone(accessKey);
    if (copy.getStatus() == null) {
      copy.setStatus(new AccessKeyStatus());
    }
    return copy;
  }
}
