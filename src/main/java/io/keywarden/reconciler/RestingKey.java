package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.secret.PublishedSecret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A key at rest: its status, its Secret (from the informer cache) and its spec agree, and nothing
 * is due before {@link #nextEvent}. Such a key needs no backend call and no API read when a new
 * process first sees it; its backend check waits for its drift slot. Pure: the caller passes the
 * time and the cached Secret.
 */
public record RestingKey(String accessKeyId, KeyState state, Instant expiresAt, Instant nextEvent) {

  /** The key at rest, or empty when anything needs a look: then the full reconcile runs. */
  public static Optional<RestingKey> of(AccessKey ak, Secret cachedSecret, Instant now) {
    AccessKeyStatus status = ak.getStatus();
    if (ak.getSpec() == null || ak.getSpec().isTemporary() || status == null || status.accessKeyId == null
        || status.pendingCreate != null || status.failedAttempts != null
        || ak.getMetadata().getDeletionTimestamp() != null
        || !Objects.equals(status.observedGeneration, ak.getMetadata().getGeneration())) {
      return Optional.empty();
    }
    String rotate = ak.getMetadata().getAnnotations() == null ? null
        : ak.getMetadata().getAnnotations().get(AccessKey.ROTATE_ANNOTATION);
    if (rotate != null && !rotate.equals(status.rotationRequest)) {
      return Optional.empty();
    }
    Optional<Condition> ready = Conditions.find(status.conditions, Conditions.READY)
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> Objects.equals(c.getObservedGeneration(), ak.getMetadata().getGeneration()));
    if (ready.isEmpty() || !publishes(cachedSecret, ak, status)) {
      return Optional.empty();
    }
    Instant expiresAt = Times.parse(status.expiresAt);
    Instant next = Stream.of(Times.parse(status.renewalTime), expiresAt, Times.parse(status.previousRetireAt),
            Times.parse(status.previousExpiresAt))
        .filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    if (next != null && !next.isAfter(now)) {
      return Optional.empty();
    }
    KeyState state = "KeyInactive".equals(ready.get().getReason()) ? KeyState.Inactive : KeyState.Active;
    return Optional.of(new RestingKey(status.accessKeyId, state, expiresAt, next));
  }

  /** The cached Secret is this AccessKey's and holds the recorded key at the recorded revision. */
  private static boolean publishes(Secret secret, AccessKey ak, AccessKeyStatus status) {
    return secret != null
        && PublishedSecret.isOwnedBy(secret, ak)
        && PublishedSecret.accessKeyId(secret).filter(status.accessKeyId::equals).isPresent()
        && PublishedSecret.secretAccessKey(secret).isPresent()
        && PublishedSecret.revision(secret) == (status.revision == null ? 0 : status.revision);
  }
}
