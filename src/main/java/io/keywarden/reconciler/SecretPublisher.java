package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import java.time.Instant;

/** Renders an AccessKey's Secret with its backend kind's entries and writes it. */
final class SecretPublisher {
  private final SecretStore secrets;

  SecretPublisher(SecretStore secrets) {
    this.secrets = secrets;
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
    ctx.written = secrets.write(ctx.accessKey, rerender(ctx, existing, expiresAt));
  }

  /**
   * Writes the Secret once; {@code observed} is what this reconcile's fresh read found. A failure is retried by a later reconcile, never by waiting here.
   *
   * @throws SecretStore.SecretOwnershipConflict if another owner holds the name
   */
  void write(KeyContext ctx, Secret rendered, SecretHolding observed) {
    ctx.written = observed == SecretHolding.MISSING
        ? secrets.create(ctx.accessKey, rendered) : secrets.write(ctx.accessKey, rendered);
  }

  /** Deletes the Secret this reconcile published for a key that will never exist. */
  void unpublish(KeyContext ctx) {
    ctx.written = null;
    secrets.delete(ctx.accessKey);
  }
}
