package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.ChosenCredentials.ChosenKey;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.SecretValue;
import io.keywarden.secret.SecretStore;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Keys with credentials keywarden chose (MinIO), under a fence that records the chosen access key
 * id. A first key (or one that replaces a key lost at the backend) is published before it exists,
 * so a crash at any point leaves the Secret as the one source of truth about what to create; a key
 * that replaces a working one is created and verified first, because workloads would break on a
 * published key that does not exist yet.
 */
final class ChosenKeyIssuer implements KeyIssuer {
  private final KubernetesClient client;
  private final KeyedLocks locks;
  private final Fence fence;
  private final SecretPublisher publisher;
  private final NewKeys newKeys;
  private final IssueRecorder recorder;
  private final LifecycleObserver observer;
  private final Clock clock;

  ChosenKeyIssuer(KubernetesClient client, KeyedLocks locks, Fence fence, SecretPublisher publisher, NewKeys newKeys,
      IssueRecorder recorder, LifecycleObserver observer, Clock clock) {
    this.client = client;
    this.locks = locks;
    this.fence = fence;
    this.publisher = publisher;
    this.newKeys = newKeys;
    this.recorder = recorder;
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public void issue(KeyContext ctx, KeyObservation o, Announcement announcement) {
    locks.withLock(ctx.lockKey(), () -> {
      ChosenKey chosen = SpecReferences.credentials(client, ctx.accessKey, (ChosenCredentials) ctx.backend);
      Instant startedAt = clock.instant();
      String nonce = UUID.randomUUID().toString();
      fence.write(ctx, new PendingCreate(nonce, Times.format(startedAt), chosen.accessKeyId()));
      Instant expiresAt = IssueRecorder.expiresAt(ctx, startedAt);
      long revision = IssueRecorder.revisionOf(ctx.accessKey) + 1;
      CreateKeyRequest request = createRequest(ctx, nonce, expiresAt, chosen.accessKeyId(), chosen.secretKey());
      if (o.currentKey() == null) {
        IssuedKey key = publishThenCreate(ctx, o, chosen, request, revision, expiresAt);
        recorder.recordIssued(ctx, o, key.accessKeyId(), startedAt, revision, null, announcement);
        return null;
      }
      IssuedKey key = fence.create(ctx, request, () -> {});
      observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
      if (key.accessKeyId().equals(o.currentKeyId()) || key.accessKeyId().equals(o.previousKeyId())) {
        republish(ctx, o, key, revision, expiresAt);
        // Custom credentials that did not change name the current key again: nothing to retire.
        KeyInfo replaced = key.accessKeyId().equals(o.currentKeyId()) ? null : o.currentKey();
        recorder.recordIssued(ctx, o, key.accessKeyId(), startedAt, revision, replaced, announcement);
      } else {
        newKeys.settle(ctx, o, NewKeys.InFlight.created(nonce, key, startedAt, expiresAt, revision, o.currentKey(),
            announcement, true, true));
      }
      return null;
    });
  }

  private IssuedKey publishThenCreate(
      KeyContext ctx, KeyObservation o, ChosenKey chosen, CreateKeyRequest request, long revision, Instant expiresAt) {
    Secret rendered = SecretPublisher.render(ctx, chosen.accessKeyId(), chosen.secretKey(), null, revision, expiresAt);
    try {
      publisher.write(ctx, rendered, o.secret());
    } catch (KubernetesClientException | SecretStore.SecretOwnershipConflict failed) {
      fence.lift(ctx); // nothing was created: the next attempt starts over
      throw failed;
    }
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
    // a definite refusal: the published key will never exist, so it is unpublished
    IssuedKey key = fence.create(ctx, request, () -> publisher.unpublish(ctx));
    observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
    return key;
  }

  /**
   * The "new" key is one we hold (custom credentials that did not change): it is never deleted, so
   * a failed write leaves the fence, whose recovery adopts the key from the Secret.
   */
  private void republish(KeyContext ctx, KeyObservation o, IssuedKey key, long revision, Instant expiresAt) {
    ctx.backend.verify(key);
    observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
    publisher.write(ctx, SecretPublisher.render(ctx, key.accessKeyId(), key.secretAccessKey(), null, revision, expiresAt),
        o.secret());
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
  }

  static CreateKeyRequest createRequest(
      KeyContext ctx, String nonce, Instant expiresAt, String accessKeyId, SecretValue secretKey) {
    return new CreateKeyRequest(ctx.desired.user(), nonce, ctx.accessKey.getSpec().description, expiresAt,
        ctx.accessKey.getSpec().name, ctx.policy, accessKeyId, secretKey);
  }
}
