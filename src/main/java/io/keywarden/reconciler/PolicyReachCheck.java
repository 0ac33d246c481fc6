package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.PolicyReach;
import io.keywarden.backend.SecretValue;
import io.keywarden.budget.OverBudget;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a key's own policy allows more than its user may do. MinIO accepts such a policy and
 * gives the key only what both allow, so the spec would promise what the key cannot do: condition
 * {@code PolicyNarrowed=True} (reason {@code PolicyBeyondUser}) and a warning event name
 * {@code spec.policy} and what the key cannot do. The key itself is kept: it works, within its
 * user's rights, and those may grow later.
 *
 * <p>Asked once per key and policy in this process (a plain call signed with the key, see {@link
 * PolicyReach}): a change of the user's own rights shows when the key or its policy next changes,
 * or after a restart. A failed check is no failure of the key; it is asked again next time.
 */
final class PolicyReachCheck {
  static final String CONDITION = "PolicyNarrowed";
  private static final Logger log = LoggerFactory.getLogger(PolicyReachCheck.class);
  private static final int MAX_NAMED = 5;

  /** What the condition should say; {@code narrowed} null: the key has no policy, no condition. */
  record Verdict(Boolean narrowed, String message) {
    static final Verdict NO_POLICY = new Verdict(null, null);
  }

  private final Map<String, String> checked = new ConcurrentHashMap<>();
  private final SecretStore secrets;
  private final EventRecorder events;

  PolicyReachCheck(SecretStore secrets, EventRecorder events) {
    this.secrets = secrets;
    this.events = events;
  }

  /**
   * The condition for the converged key, or null to leave it as it is (not asked again yet, the key
   * is inactive, or the backend could not tell).
   *
   * @param cached the AccessKey's Secret from the informer cache, if any
   */
  Verdict check(KeyContext ctx, KeyObservation o, Secret cached) {
    String uid = ctx.accessKey.getMetadata().getUid();
    if (!(ctx.backend instanceof PolicyReach reach)) {
      return null;
    }
    if (ctx.policy == null) {
      checked.remove(uid);
      return Verdict.NO_POLICY;
    }
    if (o.currentKey() == null || o.currentKey().status() != KeyStatus.ACTIVE) {
      return null; // a disabled key cannot ask
    }
    String asked = o.currentKeyId() + "|" + SettingsDigest.of(null, null, ctx.policy);
    if (asked.equals(checked.get(uid))) {
      return null;
    }
    List<String> beyond;
    try {
      Optional<SecretValue> secret = secretOf(cached, ctx.accessKey, o.currentKeyId())
          .or(() -> secretOf(secrets.read(ctx.accessKey), ctx.accessKey, o.currentKeyId()));
      if (secret.isEmpty()) {
        return null;
      }
      ctx.admission.beforeCall();
      beyond = reach.beyondUser(ctx.desired.user(), o.currentKeyId(), secret.get(), ctx.policy);
    } catch (BackendException | OverBudget | KubernetesClientException e) {
      log.debug("{}: what spec.policy allows beyond the user stays unknown for now: {}", uid, e.getMessage());
      return null;
    }
    checked.put(uid, asked);
    return beyond.isEmpty()
        ? new Verdict(false, "user " + ctx.ownerName + " may do everything spec.policy allows")
        : new Verdict(true, message(ctx.ownerName, o.currentKeyId(), beyond));
  }

  static String message(String user, String accessKeyId, List<String> beyond) {
    String named = String.join(", ", beyond.subList(0, Math.min(MAX_NAMED, beyond.size())))
        + (beyond.size() > MAX_NAMED ? " and " + (beyond.size() - MAX_NAMED) + " more" : "");
    return "spec.policy allows " + named + ", which user " + user + " may not do: access key " + accessKeyId
        + " gets only what both spec.policy and the user's own policies allow, so it cannot do that";
  }

  /** Sets (or removes) the condition in {@code desired}; a newly found policy beyond the user is also an event. */
  void apply(AccessKey accessKey, AccessKeyStatus desired, Verdict verdict, Long generation, Instant now) {
    if (verdict == null) {
      return;
    }
    if (verdict.narrowed() == null) {
      desired.conditions.removeIf(c -> CONDITION.equals(c.getType()));
      return;
    }
    boolean news = Conditions.set(desired.conditions, CONDITION, verdict.narrowed(),
        verdict.narrowed() ? "PolicyBeyondUser" : "PolicyWithinUser", verdict.message(), generation, now);
    if (news && verdict.narrowed()) {
      events.warning(accessKey, "PolicyBeyondUser", verdict.message());
    }
  }

  void forget(String uid) {
    checked.remove(uid);
  }

  /** The secret key of {@code accessKeyId} from the AccessKey's own Secret (the cache may lag a new key). */
  private static Optional<SecretValue> secretOf(Secret secret, AccessKey accessKey, String accessKeyId) {
    if (secret == null || !PublishedSecret.isOwnedBy(secret, accessKey)
        || PublishedSecret.accessKeyId(secret).filter(accessKeyId::equals).isEmpty()) {
      return Optional.empty();
    }
    return PublishedSecret.secretAccessKey(secret);
  }
}
