package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Keys whose credentials the backend generates (AWS, Outscale): fence, one create call, then
 * {@link NewKeys}: verify (when replacing a key), publish, record, now or on a later reconcile. A
 * crash between create and record leaves the fence for recovery.
 */
final class GeneratedKeyIssuer implements KeyIssuer {
  private final KeyedLocks locks;
  private final Fence fence;
  private final NewKeys newKeys;
  private final LifecycleObserver observer;
  private final Clock clock;

  GeneratedKeyIssuer(KeyedLocks locks, Fence fence, NewKeys newKeys, LifecycleObserver observer, Clock clock) {
    this.locks = locks;
    this.fence = fence;
    this.newKeys = newKeys;
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public void issue(KeyContext ctx, KeyObservation o, Announcement announcement) {
    locks.withLock(ctx.lockKey(), () -> {
      // the key's lifetime counts from here, on keywarden's clock: the expiry sent to a backend
      // with native expiry and the one derived from status.createdAt are then the same instant
      Instant startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      String nonce = UUID.randomUUID().toString();
      fence.write(ctx, new PendingCreate(nonce, Times.format(startedAt)));
      Instant expiresAt = IssueRecorder.expiresAt(ctx, startedAt);
      IssuedKey key = fence.create(ctx,
          new CreateKeyRequest(ctx.desired.user(), nonce, ctx.desired.description(), expiresAt), () -> {});
      observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
      long revision = IssueRecorder.revisionOf(ctx.accessKey) + 1;
      newKeys.settle(ctx, o, NewKeys.InFlight.created(nonce, key, startedAt, expiresAt, revision, o.currentKey(),
          announcement, o.currentKey() != null, false));
      return null;
    });
  }
}
