package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;

/**
 * The create fence in status: written before the one create
 * call, lifted when the outcome is known. A create that failed with an unknown outcome leaves it
 * for recovery.
 */
final class Fence {
  private final StatusRecorder status;
  private final LifecycleObserver observer;

  Fence(StatusRecorder status, LifecycleObserver observer) {
    this.status = status;
    this.observer = observer;
  }

  void write(KeyContext ctx, PendingCreate fence) {
    ctx.accessKey = status.writeFence(ctx.accessKey, fence);
    observer.reached(LifecycleStep.FENCE_WRITTEN, ctx.accessKey);
  }

  /**
   * Records in the fence which key its create made, before a reconcile leaves that key unrecorded
   * (see {@link NewKeys}): recovery then looks at exactly that key, and no other AccessKey's
   * recovery takes it for an orphan.
   */
  void name(KeyContext ctx, String nonce, String accessKeyId) {
    ctx.accessKey = status.update(ctx.accessKey, s -> {
      if (s.pendingCreate != null && nonce.equals(s.pendingCreate.nonce)) {
        s.pendingCreate.accessKeyId = accessKeyId;
      }
    });
  }

  void lift(KeyContext ctx) {
    ctx.accessKey = status.update(ctx.accessKey, s -> s.pendingCreate = null);
  }

  /**
   * Calls create once. A definite refusal means nothing was created: {@code undo} takes back
   * what was done for the key before (a published Secret), and the fence is lifted. Otherwise
   * (the backend was unreachable) the outcome is unknown, and the fence stays for recovery.
   */
  IssuedKey create(KeyContext ctx, CreateKeyRequest request, Runnable undo) {
    try {
      return ctx.backend.create(request);
    } catch (BackendException e) {
      if (e.reason() != BackendException.Reason.UNAVAILABLE) {
        undo.run();
        lift(ctx);
      }
      throw e;
    }
  }

  /** Removes a key that was created but will not be published, and lifts the fence. */
  void discard(KeyContext ctx, IssuedKey key) {
    ctx.backend.delete(ctx.desired.user(), key.accessKeyId());
    lift(ctx);
  }
}
