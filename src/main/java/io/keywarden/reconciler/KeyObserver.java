package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretStore;
import java.time.Clock;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyStatus;
import io.keywarden.drift.DriftListings;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Gathers what the next lifecycle step depends on: status, the backend's keys, the Secret. */
final class KeyObserver {
  private final SecretStore secrets;
  private final DriftListings answers;
  private final ConsumerSteps consumers;
  private final NewKeys newKeys;
  private final Clock clock;

  KeyObserver(SecretStore secrets, DriftListings answers, ConsumerSteps consumers, NewKeys newKeys, Clock clock) {
    this.secrets = secrets;
    this.answers = answers;
    this.consumers = consumers;
    this.newKeys = newKeys;
    this.clock = clock;
  }

  KeyObservation observe(KeyContext ctx) {
    AccessKey ak = ctx.accessKey;
    AccessKeyStatus status = ak.getStatus();
    // Only the keys status names are looked up; a key that holds none yet (every first create)
    // asks nothing: one backend call less per new key, and on MinIO one Argon2id derivation less.
    // Recovery lists for itself.
    Set<String> held = new HashSet<>();
    if (status.accessKeyId != null) {
      held.add(status.accessKeyId);
    }
    if (status.previousAccessKeyId != null) {
      held.add(status.previousAccessKeyId);
    }
    Map<String, KeyInfo> keys = held.isEmpty() ? Map.of() : keys(ctx, held);
    // a shared answer only confirms (any step re-observes afresh), so the cached Secret may too
    Secret secret = ctx.written != null ? ctx.written
        : ctx.sharedAnswer && ctx.cached != null ? ctx.cached : secrets.read(ak);
    ctx.written = null;
    SecretHolding holding = holding(ak, secret);
    boolean stale = holding == SecretHolding.CURRENT_KEY && !PublishedSecret.matches(secret,
        SecretPublisher.rerender(ctx, secret, IssueRecorder.expiresAt(ctx, Times.parse(status.createdAt))));
    String rotate = annotation(ak, AccessKey.ROTATE_ANNOTATION);
    String revoke = annotation(ak, AccessKey.REVOKE_ANNOTATION);
    Revocation revocation = status.revocation;
    return new KeyObservation(
        clock.instant(),
        ctx.desired.state(),
        ctx.desired.absoluteExpiry(),
        ctx.desired.lifetime(),
        ctx.desired.renewBefore(),
        rotate != null && !rotate.equals(status.rotationRequest),
        status.pendingCreate != null,
        status.accessKeyId,
        Times.parse(status.createdAt),
        status.accessKeyId == null ? null : keys.get(status.accessKeyId),
        status.previousAccessKeyId,
        Times.parse(status.previousRetireAt),
        Times.parse(status.previousExpiresAt),
        status.previousAccessKeyId == null ? null : keys.get(status.previousAccessKeyId),
        holding,
        stale,
        !(ctx.backend instanceof NativeExpiry),
        ctx.backend instanceof InPlaceSettings && status.accessKeyId != null
            && !ctx.settingsDigest().equals(status.appliedSettings),
        status.accessKeyId != null && revoke != null && !revoke.equals(status.revokeRequest),
        status.previousAccessKeyId != null && revocation != null
            && status.previousAccessKeyId.equals(revocation.accessKeyId),
        consumers.observe(ctx),
        ctx.desired.gracePeriod(),
        ConsumerSettings.rolloutTimeout(ak.getSpec()),
        newKeys.progress(ctx));
  }

  /**
   * The held keys as the backend has them: what this reconcile already learned, else the shared
   * answer on a drift check (the provider's account listing or the user's), else a lookup now.
   */
  private Map<String, KeyInfo> keys(KeyContext ctx, Set<String> held) {
    if (ctx.known.keySet().containsAll(held)) {
      Map<String, KeyInfo> known = new HashMap<>();
      held.forEach(id -> known.put(id, ctx.known.get(id)));
      return known;
    }
    String user = ctx.desired.user();
    if (ctx.sharedAnswer) {
      List<KeyInfo> listed = answers.keys(
          new DriftListings.Scope(ctx.lockKey(), ctx.provider.id(), user, ctx.ownerName), ctx.backend,
          ctx.admission::beforeCall, confirmedStatus(ctx.accessKey, ctx.desired.state()));
      Map<String, KeyInfo> found = new HashMap<>();
      listed.stream().filter(k -> held.contains(k.accessKeyId())).forEach(k -> found.put(k.accessKeyId(), k));
      return found;
    }
    ctx.admission.beforeCall();
    return ctx.backend.lookup(user, held);
  }

  /** keywarden changed the scope's keys: its shared answers are out of date. */
  void changed(KeyContext ctx) {
    answers.changed(ctx.lockKey());
  }

  /**
   * The status the key's last check confirmed, for listings that do not tell it: the spec's, when
   * the key was Ready for this generation and holds no previous key (whose status retirement
   * depends on); else null.
   */
  static KeyStatus confirmedStatus(AccessKey ak, KeyState desired) {
    AccessKeyStatus status = ak.getStatus();
    boolean confirmed = status.previousAccessKeyId == null
        && ak.getMetadata().getGeneration() != null
        && ak.getMetadata().getGeneration().equals(status.observedGeneration)
        && Conditions.isTrue(status.conditions, Conditions.READY);
    if (!confirmed) {
      return null;
    }
    return desired == KeyState.Inactive ? KeyStatus.INACTIVE : KeyStatus.ACTIVE;
  }

  static SecretHolding holding(AccessKey ak, Secret secret) {
    if (secret == null) {
      return SecretHolding.MISSING;
    }
    if (!PublishedSecret.isOwnedBy(secret, ak)) {
      return SecretHolding.FOREIGN;
    }
    boolean holdsCurrent = ak.getStatus().accessKeyId != null
        && PublishedSecret.accessKeyId(secret).filter(ak.getStatus().accessKeyId::equals).isPresent()
        && PublishedSecret.secretAccessKey(secret).isPresent();
    return holdsCurrent ? SecretHolding.CURRENT_KEY : SecretHolding.OTHER_KEY;
  }

  static String annotation(AccessKey ak, String name) {
    Map<String, String> annotations = ak.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }
}
