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
import io.keywarden.secret.SecretRenderer;
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
      IssuedKey key = o.currentKey() == null
          ? publishThenCreate(ctx, chosen, request, revision, expiresAt)
          : createThenPublish(ctx, o, request, revision, expiresAt);
      // Custom credentials that did not change name the current key again: nothing to retire.
      KeyInfo replaced = key.accessKeyId().equals(o.currentKeyId()) ? null : o.currentKey();
      recorder.recordIssued(ctx, o, key.accessKeyId(), startedAt, revision, replaced, announcement);
      return null;
    });
  }

  private IssuedKey publishThenCreate(
      KeyContext ctx, ChosenKey chosen, CreateKeyRequest request, long revision, Instant expiresAt) {
    Secret rendered = SecretPublisher.render(ctx, chosen.accessKeyId(), chosen.secretKey(), null, revision, expiresAt);
    RuntimeException failed = publisher.write(ctx, rendered);
    if (failed != null) {
      fence.lift(ctx); // nothing was created
      throw new KubernetesClientException("could not write Secret " + SecretRenderer.secretName(ctx.accessKey)
          + " before creating access key " + chosen.accessKeyId() + ": " + failed.getMessage(), failed);
    }
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
    // a definite refusal: the published key will never exist, so it is unpublished
    IssuedKey key = fence.create(ctx, request, () -> publisher.store().delete(ctx.accessKey));
    observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
    return key;
  }

  private IssuedKey createThenPublish(
      KeyContext ctx, KeyObservation o, CreateKeyRequest request, long revision, Instant expiresAt) {
    IssuedKey key = fence.create(ctx, request, () -> {});
    observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
    boolean known = key.accessKeyId().equals(o.currentKeyId()) || key.accessKeyId().equals(o.previousKeyId());
    if (known) {
      // Custom credentials that did not change: the "new" key is one we hold. Never delete it.
      ctx.backend.verify(key);
      observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
      RuntimeException failed = publisher.write(ctx, SecretPublisher.render(
          ctx, key.accessKeyId(), key.secretAccessKey(), null, revision, expiresAt));
      if (failed != null) {
        throw failed;
      }
    } else {
      newKeys.verifyOrDiscard(ctx, key);
      observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
      newKeys.publishOrDiscard(ctx, key, revision, expiresAt);
    }
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
    return key;
  }

  static CreateKeyRequest createRequest(
      KeyContext ctx, String nonce, Instant expiresAt, String accessKeyId, SecretValue secretKey) {
    return new CreateKeyRequest(ctx.desired.user(), nonce, ctx.accessKey.getSpec().description, expiresAt,
        ctx.accessKey.getSpec().name, ctx.policy, accessKeyId, secretKey);
  }
}
