package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a key between its create call and its record in status: it must work (when it
 * replaces a key), reach the Secret, and be recorded; a key that does neither is deleted again,
 * since nobody could use it.
 *
 * <p>No reconcile thread waits for this. Each reconcile tries the next of these once; a key that
 * is not usable yet (new AWS keys take seconds) or whose Secret write failed is held here, in this
 * process only, and the planner picks it up again on a later reconcile ({@link NewKeyProgress}).
 * Before a reconcile leaves such a key behind, the fence names it in status: other AccessKeys'
 * recoveries then spare it, and a process that does not hold its secret (after a crash, or on
 * another instance) finds exactly that key and deletes it, as it would any key that never reached
 * the Secret.
 */
final class NewKeys {
  private static final Logger log = LoggerFactory.getLogger(NewKeys.class);
  /**
   * A held key is given up within the verification window and a few Secret writes; one held this
   * long belongs to an AccessKey this process no longer reconciles, and only its secret is dropped.
   */
  private static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(30);

  /** A created, unrecorded key with everything its record needs. */
  record InFlight(String nonce, IssuedKey key, Instant startedAt, Instant expiresAt, long revision, KeyInfo replaced,
      KeyIssuer.Announcement announcement, boolean verified, int failedWrites, Instant nextAttemptAt, boolean named) {

    /** Just created: a key that replaces another is checked first; a first key has nothing to protect. */
    static InFlight created(String nonce, IssuedKey key, Instant startedAt, Instant expiresAt, long revision,
        KeyInfo replaced, KeyIssuer.Announcement announcement, boolean verify, boolean named) {
      return new InFlight(nonce, key, startedAt, expiresAt, revision, replaced, announcement, !verify, 0, null, named);
    }

    InFlight verifiedNow() {
      return new InFlight(nonce, key, startedAt, expiresAt, revision, replaced, announcement, true, failedWrites,
          null, named);
    }

    InFlight retryAt(Instant at, int failed) {
      return new InFlight(nonce, key, startedAt, expiresAt, revision, replaced, announcement, verified, failed, at,
          true);
    }
  }

  private final Fence fence;
  private final SecretPublisher publisher;
  private final IssueRecorder recorder;
  private final LifecycleObserver observer;
  private final KeyedLocks locks;
  private final Clock clock;
  private final KeyLifecycle.Settings settings;
  /** By AccessKey uid: at most one create is in flight per AccessKey. */
  private final ConcurrentMap<String, InFlight> held = new ConcurrentHashMap<>();

  NewKeys(Fence fence, SecretPublisher publisher, IssueRecorder recorder, LifecycleObserver observer, KeyedLocks locks,
      Clock clock, KeyLifecycle.Settings settings) {
    this.fence = fence;
    this.publisher = publisher;
    this.recorder = recorder;
    this.observer = observer;
    this.locks = locks;
    this.clock = clock;
    this.settings = settings;
  }

  /** Right after the create call, under the (provider, user) lock: verify, publish and record, as far as possible now. */
  void settle(KeyContext ctx, KeyObservation o, InFlight key) {
    Instant now = clock.instant();
    held.values().removeIf(k -> k.startedAt().isBefore(now.minus(FORGOTTEN_AFTER)));
    advance(ctx, o, key);
  }

  /** The VERIFY_NEW_KEY and PUBLISH_NEW_KEY steps: the next attempt for the key this process holds. */
  void proceed(KeyContext ctx, KeyObservation o) {
    InFlight key = held.get(uid(ctx));
    if (key == null) {
      throw new IllegalStateException("no new key held for " + ctx.accessKey.getMetadata().getName());
    }
    locks.withLock(ctx.lockKey(), () -> {
      advance(ctx, o, key);
      return null;
    });
  }

  /** ABANDON_NEW_KEY: the key did not become usable, or never reached the Secret, in time: it is deleted. */
  void abandon(KeyContext ctx, String why) {
    InFlight key = held.get(uid(ctx));
    if (key == null) {
      throw new IllegalStateException("no new key held for " + ctx.accessKey.getMetadata().getName());
    }
    discard(ctx, key);
    String id = key.key().accessKeyId();
    if (!key.verified()) {
      throw new BackendException(BackendException.Reason.KEY_NOT_USABLE_YET,
          "new access key " + id + " was deleted: " + why + "; the current key stays in use");
    }
    throw new KubernetesClientException("could not write Secret " + SecretRenderer.secretName(ctx.accessKey)
        + " (" + why + "); deleted the new access key " + id);
  }

  /** What the planner needs to know of the key this process holds for the fence in status; null if none. */
  NewKeyProgress progress(KeyContext ctx) {
    InFlight key = held.get(uid(ctx));
    var pending = ctx.accessKey.getStatus().pendingCreate;
    if (key == null || pending == null || !key.nonce().equals(pending.nonce)) {
      return null; // a stale copy without the fence is refused by the fence write; a newer fence is not ours
    }
    return new NewKeyProgress(key.startedAt(), key.verified(), key.failedWrites(), key.nextAttemptAt(),
        settings.verifyTimeout(), settings.secretWriteAttempts());
  }

  /** The AccessKey goes away: its recovery deletes the key, and its secret is dropped here. */
  void forget(KeyContext ctx) {
    held.remove(uid(ctx));
  }

  private void advance(KeyContext ctx, KeyObservation o, InFlight key) {
    if (!key.verified()) {
      try {
        ctx.backend.verify(key.key());
      } catch (BackendException e) {
        if (e.reason() == BackendException.Reason.KEY_NOT_USABLE_YET) {
          hold(ctx, key, key.failedWrites());
          return;
        }
        discard(ctx, key);
        throw new BackendException(e.reason(),
            "new access key " + key.key().accessKeyId() + " did not work and was deleted: " + e.getMessage(), e);
      }
      observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
      key = key.verifiedNow();
    }
    try {
      publisher.write(ctx, SecretPublisher.render(ctx, key.key().accessKeyId(), key.key().secretAccessKey(),
          key.key().sessionToken(), key.revision(), key.expiresAt()), o.secret());
    } catch (SecretStore.SecretOwnershipConflict e) {
      discard(ctx, key); // another owner appeared: retrying cannot help
      throw e;
    } catch (KubernetesClientException e) {
      log.warn("{}/{}: writing the Secret failed, retrying on a later reconcile: {}",
          ctx.accessKey.getMetadata().getNamespace(), ctx.accessKey.getMetadata().getName(), e.getMessage());
      hold(ctx, key, key.failedWrites() + 1);
      return;
    }
    observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
    // published: from here the Secret is the source of truth, and a failed record is adopted by recovery
    held.remove(uid(ctx));
    recorder.recordIssued(ctx, o, key.key().accessKeyId(), key.startedAt(), key.revision(), key.replaced(),
        key.announcement());
  }

  /** Leaves the key for a later reconcile: named in the fence first, so that no recovery mistakes it for an orphan. */
  private void hold(KeyContext ctx, InFlight key, int failedWrites) {
    if (!key.named()) {
      fence.name(ctx, key.nonce(), key.key().accessKeyId());
    }
    observer.reached(LifecycleStep.KEY_HELD, ctx.accessKey);
    held.put(uid(ctx), key.retryAt(clock.instant().plus(settings.retryInterval()), failedWrites));
  }

  private void discard(KeyContext ctx, InFlight key) {
    held.remove(uid(ctx));
    fence.discard(ctx, key.key());
  }

  private static String uid(KeyContext ctx) {
    return ctx.accessKey.getMetadata().getUid();
  }
}
