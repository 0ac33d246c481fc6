package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.PendingCreate;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A fence without a recorded key: the create may or may not have happened, and the Secret may or
 * may not hold the new key. Resolved under the (provider, user) lock on a fresh read: a fence that
 * names a chosen access key by {@link ChosenKeyRecovery}, any other by {@link OrphanRecovery}.
 */
final class FenceRecovery {
  private final KeyedLocks locks;
  private final StatusRecorder status;
  private final ChosenKeyRecovery chosen;
  private final OrphanRecovery orphans;

  FenceRecovery(KeyedLocks locks, StatusRecorder status, ChosenKeyRecovery chosen, OrphanRecovery orphans) {
    this.locks = locks;
    this.status = status;
    this.chosen = chosen;
    this.orphans = orphans;
  }

  void recover(KeyContext ctx) {
    resolve(ctx, chosen::complete);
  }

  /** Before the AccessKey goes away: a chosen key that does not exist yet is never created. */
  void recoverBeforeDeletion(KeyContext ctx) {
    resolve(ctx, chosen::forget);
  }

  private void resolve(KeyContext ctx, BiConsumer<KeyContext, PendingCreate> chosenKey) {
    locks.withLock(ctx.lockKey(), () -> {
      String nonce = ctx.accessKey.getStatus().pendingCreate.nonce;
      AccessKey fresh = status.fresh(ctx.accessKey);
      PendingCreate fence = fresh.getStatus() == null ? null : fresh.getStatus().pendingCreate;
      ctx.accessKey = fresh; // when the fence is gone, the cached copy was stale: it was already resolved
      if (fence != null && Objects.equals(fence.nonce, nonce)) {
        if (fence.accessKeyId != null) {
          chosenKey.accept(ctx, fence);
        } else {
          orphans.recover(ctx, fence);
        }
      }
      return null;
    });
  }
}
