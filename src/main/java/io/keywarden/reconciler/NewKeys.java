package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.IssuedKey;
import io.keywarden.secret.SecretRenderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What happens to a key between its create call and its record in status: it must work, and it
 * must reach the Secret; a key that does neither is deleted again, since nobody could use it.
 */
final class NewKeys {
  private final Fence fence;
  private final SecretPublisher publisher;
  private final Clock clock;
  private final Duration verifyTimeout;
  private final Duration verifyInterval;

  NewKeys(Fence fence, SecretPublisher publisher, Clock clock, Duration verifyTimeout, Duration verifyInterval) {
    this.fence = fence;
    this.publisher = publisher;
    this.clock = clock;
    this.verifyTimeout = verifyTimeout;
    this.verifyInterval = verifyInterval;
  }

  void verifyOrDiscard(KeyContext ctx, IssuedKey key) {
    Instant deadline = clock.instant().plus(verifyTimeout);
    while (true) {
      try {
        ctx.backend.verify(key);
        return;
      } catch (BackendException e) {
        if (e.reason() != BackendException.Reason.KEY_NOT_USABLE_YET || !clock.instant().isBefore(deadline)) {
          fence.discard(ctx, key);
          throw new BackendException(e.reason(),
              "new access key " + key.accessKeyId() + " did not work and was deleted: " + e.getMessage(), e);
        }
        sleep(verifyInterval);
      }
    }
  }

  void publishOrDiscard(KeyContext ctx, IssuedKey key, long revision, Instant expiresAt) {
    RuntimeException last = publisher.write(ctx, SecretPublisher.render(
        ctx, key.accessKeyId(), key.secretAccessKey(), key.sessionToken(), revision, expiresAt));
    if (last == null) {
      return;
    }
    fence.discard(ctx, key);
    throw new KubernetesClientException(
        "could not write Secret " + SecretRenderer.secretName(ctx.accessKey) + "; deleted the new access key "
            + key.accessKeyId() + ": " + last.getMessage(), last);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
