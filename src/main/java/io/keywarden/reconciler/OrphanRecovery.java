package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.TaggedKeys;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fence of a server-generated key: adopt the key our Secret holds; delete every other key of the
 * interrupted create that no AccessKey and no keywarden Secret references. The interrupted
 * create's keys are found by the fence's nonce on a backend with {@link TaggedKeys}, otherwise by
 * time: every key created since the fence.
 */
final class OrphanRecovery {
  /** Backend and operator clocks differ; a recovery by time looks this far before the fence. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final StatusRecorder status;
  private final SecretStore secrets;
  private final KeyReferences references;
  private final IssueRecorder recorder;
  private final EventRecorder events;
  private final KeywardenMetrics metrics;

  OrphanRecovery(StatusRecorder status, SecretStore secrets, KeyReferences references, IssueRecorder recorder,
      EventRecorder events, KeywardenMetrics metrics) {
    this.status = status;
    this.secrets = secrets;
    this.references = references;
    this.recorder = recorder;
    this.events = events;
    this.metrics = metrics;
  }

  void recover(KeyContext ctx, PendingCreate fence) {
    AccessKey fresh = ctx.accessKey;
    AccessKeyStatus before = fresh.getStatus();
    String user = ctx.desired.user();
    List<KeyInfo> keys = ctx.backend.list(user);
    Set<String> held = new HashSet<>();
    held.add(before.accessKeyId);
    held.add(before.previousAccessKeyId);
    List<KeyInfo> candidates = suspects(ctx, fence, keys).stream().filter(k -> !held.contains(k.accessKeyId())).toList();

    Secret own = secrets.read(fresh);
    Optional<KeyInfo> adopted = Optional.empty();
    if (own != null && PublishedSecret.isOwnedBy(own, fresh) && PublishedSecret.secretAccessKey(own).isPresent()) {
      String published = PublishedSecret.accessKeyId(own).orElse(null);
      adopted = candidates.stream().filter(k -> k.accessKeyId().equals(published)).findFirst();
    }
    Set<String> referenced = references.elsewhere(fresh);
    for (KeyInfo candidate : candidates) {
      boolean isAdopted = adopted.isPresent() && adopted.get().accessKeyId().equals(candidate.accessKeyId());
      if (!isAdopted && !referenced.contains(candidate.accessKeyId())) {
        ctx.backend.delete(user, candidate.accessKeyId());
        metrics.orphanDeleted();
        events.warning(fresh, "OrphanDeleted",
            "deleted access key " + candidate.accessKeyId() + " left by an interrupted create");
      }
    }
    record(ctx, fence, keys, own, adopted);
  }

  /** The keys the interrupted create may have made: by its nonce where keys carry it, else by time. */
  private static List<KeyInfo> suspects(KeyContext ctx, PendingCreate fence, List<KeyInfo> keys) {
    if (ctx.backend instanceof TaggedKeys tagged) {
      return tagged.findByTag(ctx.desired.user(), fence.nonce);
    }
    Instant since = Times.parse(fence.startedAt).minus(CLOCK_SKEW);
    return keys.stream().filter(k -> k.createdAt() == null || !k.createdAt().isBefore(since)).toList();
  }

  /** Lifts the fence; an adopted key becomes current, the key it replaces previous. */
  private void record(KeyContext ctx, PendingCreate fence, List<KeyInfo> keys, Secret own, Optional<KeyInfo> adopted) {
    AccessKey fresh = ctx.accessKey;
    AccessKeyStatus before = fresh.getStatus();
    KeyInfo current = before.accessKeyId == null ? null
        : keys.stream().filter(k -> k.accessKeyId().equals(before.accessKeyId)).findFirst().orElse(null);
    Instant currentExpiresAt = IssueRecorder.expiresAt(ctx, Times.parse(before.createdAt));
    long revision = own == null ? 0 : PublishedSecret.revision(own);
    String rotate = KeyObserver.annotation(fresh, AccessKey.ROTATE_ANNOTATION);
    ctx.accessKey = status.update(fresh, s -> {
      if (adopted.isPresent()) {
        recorder.retainAsPrevious(ctx, s, current, currentExpiresAt);
        IssueRecorder.recordCurrent(ctx, s, adopted.get().accessKeyId(), Times.parse(fence.startedAt),
            Math.max(revision, IssueRecorder.revisionOf(fresh)));
        s.rotationRequest = rotate;
      }
      s.pendingCreate = null;
    });
    adopted.ifPresent(k -> events.normal(ctx.accessKey, "Recovered",
        "adopted access key " + k.accessKeyId() + " published before an interruption"));
  }
}
