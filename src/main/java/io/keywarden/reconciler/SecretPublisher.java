package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import java.time.Duration;
import java.time.Instant;

/** Renders an AccessKey's Secret with its backend kind's entries and writes it. */
final class SecretPublisher {
  private final SecretStore secrets;
  private final int writeAttempts;

  SecretPublisher(SecretStore secrets, int writeAttempts) {
    this.secrets = secrets;
    this.writeAttempts = writeAttempts;
  }

  SecretStore store() {
    return secrets;
  }

  /** The Secret that publishes a key; {@code sessionToken} only for temporary credentials. */
  static Secret render(KeyContext ctx, String accessKeyId, SecretValue secretKey, SecretValue sessionToken,
      long revision, Instant expiresAt) {
    return SecretRenderer.render(ctx.accessKey, ctx.provider.kind().secretEntries(
        ctx.provider.spec(), accessKeyId, secretKey, sessionToken), revision, expiresAt);
  }

  /** The Secret as the spec renders it now around the key and revision {@code existing} holds. */
  static Secret rerender(KeyContext ctx, Secret existing, Instant expiresAt) {
    AccessKeyStatus status = ctx.accessKey.getStatus();
    return render(ctx, status.accessKeyId, PublishedSecret.secretAccessKey(existing).orElseThrow(),
        PublishedSecret.sessionToken(existing).orElse(null), PublishedSecret.revision(existing), expiresAt);
  }

  /** Re-renders the Secret (key names, labels) around the key it holds. */
  void refresh(KeyContext ctx) {
    Secret existing = secrets.read(ctx.accessKey);
    Instant expiresAt = IssueRecorder.expiresAt(ctx, Times.parse(ctx.accessKey.getStatus().createdAt));
    secrets.write(ctx.accessKey, rerender(ctx, existing, expiresAt));
  }

  /** Writes the Secret with a few retries; returns the last failure, or null once written. */
  RuntimeException write(KeyContext ctx, Secret rendered) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= writeAttempts; attempt++) {
      try {
        secrets.write(ctx.accessKey, rendered);
        return null;
      } catch (SecretStore.SecretOwnershipConflict e) {
        return e; // another owner appeared: retrying cannot help
      } catch (KubernetesClientException e) {
        last = e;
        sleep(Duration.ofMillis(250L * attempt));
      }
    }
    return last;
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
