package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.SecretValue;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A fence that names its key: the access key id keywarden chose before the create (MinIO, which
 * records no creation time), or a created key that waited for its verification or Secret write
 * ({@link NewKeys}). Only that key is looked at, never keys by time or tag. If our Secret holds it
 * with its secret, the key is ours: complete the create if a chosen key does not exist yet, and
 * adopt it. Otherwise we hold no secret for it: delete it if it exists.
 */
final class ChosenKeyRecovery {
  private final StatusRecorder status;
  private final SecretStore secrets;
  private final Fence fence;
  private final IssueRecorder recorder;
  private final EventRecorder events;
  private final KeywardenMetrics metrics;

  ChosenKeyRecovery(StatusRecorder status, SecretStore secrets, Fence fence, IssueRecorder recorder,
      EventRecorder events, KeywardenMetrics metrics) {
    this.status = status;
    this.secrets = secrets;
    this.fence = fence;
    this.recorder = recorder;
    this.events = events;
    this.metrics = metrics;
  }

  /** Completes the create of a published key the backend does not have yet, and adopts it. */
  void complete(KeyContext ctx, PendingCreate pending) {
    Found found = find(ctx, pending);
    if (found == null) {
      return;
    }
    if (!found.exists() && !(ctx.backend instanceof ChosenCredentials)) {
      fence.lift(ctx); // a generated key published and then deleted outside keywarden: the Secret is repaired next
      return;
    }
    if (!found.exists()) {
      Instant startedAt = Times.parse(pending.startedAt);
      fence.create(ctx, ChosenKeyIssuer.createRequest(ctx, pending.nonce, IssueRecorder.expiresAt(ctx, startedAt),
          pending.accessKeyId, found.secretKey()), () -> secrets.delete(ctx.accessKey));
      events.normal(ctx.accessKey, "Recovered",
          "created access key " + pending.accessKeyId + " that was published before an interruption");
    }
    adopt(ctx, pending, found);
  }

  /** The AccessKey is going away: a published key that does not exist is never created only to be deleted. */
  void forget(KeyContext ctx, PendingCreate pending) {
    Found found = find(ctx, pending);
    if (found == null) {
      return;
    }
    if (!found.exists()) {
      fence.lift(ctx); // the Secret goes with its owner
      return;
    }
    adopt(ctx, pending, found);
  }

  /** What the backend and our Secret hold of the chosen key; null once a key we hold no secret for is resolved. */
  private Found find(KeyContext ctx, PendingCreate pending) {
    AccessKey fresh = ctx.accessKey;
    AccessKeyStatus current = fresh.getStatus();
    String id = pending.accessKeyId;
    List<KeyInfo> keys = ctx.backend.list(ctx.desired.user());
    boolean exists = keys.stream().anyMatch(k -> k.accessKeyId().equals(id));
    Secret own = secrets.read(fresh);
    Optional<SecretValue> held = own != null && PublishedSecret.isOwnedBy(own, fresh)
        && PublishedSecret.accessKeyId(own).filter(id::equals).isPresent()
        ? PublishedSecret.secretAccessKey(own) : Optional.empty();
    if (held.isPresent()) {
      return new Found(keys, exists, own, held.get());
    }
    if (exists && !id.equals(current.accessKeyId) && !id.equals(current.previousAccessKeyId)) {
      ctx.backend.delete(ctx.desired.user(), id);
      metrics.orphanDeleted();
      events.warning(fresh, "OrphanDeleted", "deleted access key " + id + " left by an interrupted create");
    }
    fence.lift(ctx);
    return null;
  }

  private void adopt(KeyContext ctx, PendingCreate pending, Found found) {
    AccessKey fresh = ctx.accessKey;
    AccessKeyStatus before = fresh.getStatus();
    String id = pending.accessKeyId;
    KeyInfo current = before.accessKeyId == null || before.accessKeyId.equals(id) ? null
        : found.keys().stream().filter(k -> k.accessKeyId().equals(before.accessKeyId)).findFirst().orElse(null);
    Instant currentExpiresAt = IssueRecorder.expiresAt(ctx, Times.parse(before.createdAt));
    long revision = Math.max(PublishedSecret.revision(found.secret()), IssueRecorder.revisionOf(fresh));
    String rotate = KeyObserver.annotation(fresh, AccessKey.ROTATE_ANNOTATION);
    ctx.accessKey = status.update(fresh, s -> {
      recorder.retainAsPrevious(ctx, s, current, currentExpiresAt);
      IssueRecorder.recordCurrent(ctx, s, id, Times.parse(pending.startedAt), revision);
      s.appliedSettings = null; // the settings step checks the adopted key against the spec
      s.rotationRequest = rotate;
    });
    events.normal(ctx.accessKey, "Recovered", "adopted access key " + id + " published before an interruption");
  }

  /** The user's keys, whether the chosen one is among them, and our Secret with its secret key. */
  private record Found(List<KeyInfo> keys, boolean exists, Secret secret, SecretValue secretKey) {}
}
