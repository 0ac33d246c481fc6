package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.PendingCreate;
import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.expiry.RenewalSchedule;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.ResolvedProvider;
import io.keywarden.rollout.ConsumerRestarter;
import io.keywarden.rollout.RestartDampener;
import io.keywarden.rollout.WorkloadRef;
import io.keywarden.rollout.Workloads;
import io.keywarden.secret.CredentialEntries;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.secret.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Carries out the steps {@link LifecyclePlanner} chooses: observe, decide, act, until the key is
 * in sync or waits for a time. Owns the crash-safety rules of DESIGN.md: the fence before the one
 * create call, the Secret written at once, recovery that only removes what nobody references.
 */
public final class KeyLifecycle {
  /** Steps per reconcile; a normal create or rotation needs at most three. */
  private static final int MAX_STEPS = 8;
  /** Backend and operator clocks differ; a recovery looks this far before the fence. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  /** @param restartWindow how long a consumer restart waits for other AccessKeys restarting the same workload */
  public record Settings(Duration verifyTimeout, Duration verifyInterval, int secretWriteAttempts, Duration restartWindow) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(60), Duration.ofSeconds(2), 3, Duration.ofSeconds(15));
  }

  /** Where converging stopped: in sync (possibly waiting for a time) or expired. */
  public record Outcome(Plan plan, KeyObservation observation, AccessKey accessKey) {}

  private final KubernetesClient client;
  private final StatusWriter statusWriter;
  private final SecretStore secrets;
  private final EventRecorder events;
  private final KeyedLocks locks;
  private final LifecycleObserver observer;
  private final KeywardenMetrics metrics;
  /** The namespaces served; empty for all. */
  private final Set<String> namespaces;
  private final Clock clock;
  private final Settings settings;
  private final ConsumerRestarter restarter;

  public KeyLifecycle(
      KubernetesClient client,
      EventRecorder events,
      KeyedLocks locks,
      LifecycleObserver observer,
      KeywardenMetrics metrics,
      Set<String> namespaces,
      Clock clock,
      Settings settings) {
    this.client = client;
    this.namespaces = namespaces;
    this.statusWriter = new StatusWriter(client);
    this.secrets = new SecretStore(client);
    this.events = events;
    this.locks = locks;
    this.observer = observer;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.restarter = new ConsumerRestarter(new Workloads(client), new RestartDampener(settings.restartWindow()));
  }

  Outcome converge(KeyContext ctx) {
    for (int step = 0; step < MAX_STEPS; step++) {
      KeyObservation observation = observe(ctx);
      Plan plan = LifecyclePlanner.plan(observation);
      if (plan.action() == Plan.Action.IN_SYNC || plan.action() == Plan.Action.EXPIRED) {
        return new Outcome(plan, observation, ctx.accessKey);
      }
      if (plan.action() == Plan.Action.RESTART_CONSUMERS) {
        Instant waitUntil = restartConsumers(ctx, observation);
        if (waitUntil != null) {
          return new Outcome(new Plan(Plan.Action.IN_SYNC, "consumer restarts wait for other AccessKeys", waitUntil),
              observation, ctx.accessKey);
        }
        continue;
      }
      execute(ctx, plan, observation);
    }
    throw new IllegalStateException("no convergence after " + MAX_STEPS + " steps");
  }

  private KeyObservation observe(KeyContext ctx) {
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
    Map<String, KeyInfo> keys = held.isEmpty() ? Map.of() : ctx.backend.lookup(ctx.desired.user(), held);
    Secret secret = secrets.read(ak);
    SecretHolding holding = holding(ak, secret);
    boolean stale = holding == SecretHolding.CURRENT_KEY && !PublishedSecret.matches(secret, rerender(ctx, secret));
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
        !ctx.backend.expiresKeysNatively(),
        ctx.backend.updatesKeySettings() && status.accessKeyId != null
            && !ctx.settingsDigest().equals(status.appliedSettings),
        status.accessKeyId != null && revoke != null && !revoke.equals(status.revokeRequest),
        status.previousAccessKeyId != null && revocation != null
            && status.previousAccessKeyId.equals(revocation.accessKeyId),
        observeRollout(ctx),
        ctx.desired.gracePeriod(),
        ConsumerSettings.rolloutTimeout(ak.getSpec()));
  }

  /**
   * The consumers' rollout for the published revision, with each consumer's progress read now
   * while it is under way (a GET per workload: no informer watches them).
   */
  private Retirement.Rollout observeRollout(KeyContext ctx) {
    AccessKeyStatus status = ctx.accessKey.getStatus();
    RolloutStatus rollout = status.rollout;
    if (rollout == null || !Objects.equals(rollout.revision, status.revision)) {
      ctx.rolloutProgress = List.of();
      return null;
    }
    boolean underWay = rollout.startedAt != null && rollout.finishedAt == null;
    ctx.rolloutProgress = underWay ? restarter.progress(ConsumerSettings.refs(ctx.accessKey, rollout)) : rollout.workloads;
    boolean doneNow = ctx.rolloutProgress.stream().allMatch(w -> Boolean.TRUE.equals(w.done));
    return new Retirement.Rollout(Times.parse(rollout.startedAt), Times.parse(rollout.finishedAt), doneNow);
  }

  /**
   * Annotates the consumers with the published revision. Returns when to come back if the
   * dampening window keeps some waiting; null once every consumer carries it (recorded in status).
   */
  private Instant restartConsumers(KeyContext ctx, KeyObservation o) {
    AccessKey ak = ctx.accessKey;
    AccessKeyStatus status = ak.getStatus();
    long revision = status.rollout.revision;
    Revocation revocation = status.revocation;
    boolean urgent = revocation != null && Objects.equals(revocation.replacedBy, status.accessKeyId);
    Instant now = clock.instant();
    ConsumerRestarter.Restart restart = restarter.restart(ak.getMetadata().getNamespace(), ak.getSpec().rotation,
        SecretRenderer.secretName(ak), ak.getMetadata().getName(), revision, urgent, now);
    if (!restart.complete()) {
      return restart.waitUntil();
    }
    observer.reached(LifecycleStep.CONSUMERS_RESTARTED, ak);
    List<WorkloadRollout> progress = restarter.progress(restart.consumers());
    ctx.accessKey = statusWriter.update(ak, s -> {
      s.rollout.startedAt = Times.format(now);
      s.rollout.workloads = progress;
    });
    ctx.rolloutProgress = progress;
    events.normal(ctx.accessKey, "ConsumersRestarted", restart.consumers().isEmpty()
        ? "no consumers to restart for revision " + revision
        : "restarting " + names(restart.consumers()) + " for revision " + revision);
    return null;
  }

  /** Every consumer rolled out: the grace period of the previous key counts from now. */
  private void recordRollout(KeyContext ctx, KeyObservation o) {
    Instant now = clock.instant();
    List<WorkloadRollout> progress = ctx.rolloutProgress;
    Instant retireAt = o.previousKeyId() == null ? null
        : RenewalSchedule.retireTime(now, ctx.desired.gracePeriod(), o.previousExpiresAt());
    ctx.accessKey = statusWriter.update(ctx.accessKey, s -> {
      s.rollout.finishedAt = Times.format(now);
      s.rollout.workloads = progress;
      if (retireAt != null) {
        s.previousRetireAt = Times.format(retireAt);
      }
    });
    events.normal(ctx.accessKey, "ConsumersRolledOut", "consumers rolled out revision "
        + ctx.accessKey.getStatus().rollout.revision
        + (retireAt == null ? "" : "; previous access key " + o.previousKeyId() + " retires at " + Times.format(retireAt)));
  }

  private static String names(List<WorkloadRef> refs) {
    return refs.stream().map(WorkloadRef::toString).collect(Collectors.joining(", "));
  }

  private void execute(KeyContext ctx, Plan plan, KeyObservation o) {
    switch (plan.action()) {
      case RECOVER -> recover(ctx, false);
      case SECRET_CONFLICT -> throw new SecretStore.SecretOwnershipConflict(
          ctx.accessKey.getMetadata().getNamespace(), SecretRenderer.secretName(ctx.accessKey));
      case CREATE -> issue(ctx, o, false, "Created", "created access key %s");
      case REISSUE_LOST_KEY -> issue(ctx, o, false, "Repaired",
          "access key " + o.currentKeyId() + " was deleted outside keywarden; issued %s");
      case REISSUE_LOST_SECRET -> issue(ctx, o, true, "Repaired",
          "the Secret no longer held the key; issued %s");
      case ROTATE -> issue(ctx, o, true, "Rotated", "rotated to access key %s (" + plan.why() + ")");
      case REVOKE -> issue(ctx, o, true, "Revoked", "revoked access key " + o.currentKeyId() + " (keywarden.io/revoke="
          + annotation(ctx.accessKey, AccessKey.REVOKE_ANNOTATION) + "): published %s; the revoked key is deactivated"
          + " and deleted now");
      case RECORD_ROLLOUT -> recordRollout(ctx, o);
      case RESTART_CONSUMERS -> throw new IllegalArgumentException("restarts are run by converge");
      case RETIRE_PREVIOUS -> retirePrevious(ctx, o);
      case EXPIRE_CURRENT -> expireCurrent(ctx, o);
      case UPDATE_EXPIRY -> updateExpiry(ctx, o);
      case UPDATE_SETTINGS -> updateSettings(ctx, o);
      case ACTIVATE -> setState(ctx, o, KeyStatus.ACTIVE);
      case DEACTIVATE -> setState(ctx, o, KeyStatus.INACTIVE);
      case REFRESH_SECRET -> refreshSecret(ctx);
      case IN_SYNC, EXPIRED -> throw new IllegalArgumentException(plan.action() + " is not a step");
    }
  }

  /**
   * Creates a key under the fence and publishes it. With {@code staged}, the key being replaced
   * stays active as the previous key for the grace period, and the new key must work first.
   */
  private void issue(KeyContext ctx, KeyObservation o, boolean staged, String reason, String messageFormat) {
    if (ctx.backend.acceptsChosenCredentials()) {
      issueChosen(ctx, o, staged, reason, messageFormat);
      return;
    }
    locks.withLock(ctx.lockKey(), () -> {
      // the key's lifetime counts from here, on keywarden's clock: the expiry sent to a backend
      // with native expiry and the one derived from status.createdAt are then the same instant
      Instant startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      String nonce = UUID.randomUUID().toString();
      ctx.accessKey = statusWriter.writeFence(ctx.accessKey, new PendingCreate(nonce, Times.format(startedAt)));
      observer.reached(LifecycleStep.FENCE_WRITTEN, ctx.accessKey);

      IssuedKey key;
      try {
        key = ctx.backend.create(new CreateKeyRequest(
            ctx.desired.user(), nonce, ctx.desired.description(), expiresAt(ctx, startedAt)));
      } catch (BackendException e) {
        if (e.reason() != BackendException.Reason.UNAVAILABLE) {
          clearFence(ctx); // a definite refusal: nothing was created
        } // else the outcome is unknown; the fence stays and recovery finds out
        throw e;
      }
      observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);

      if (staged) {
        verifyOrDiscard(ctx, key);
        observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
      }
      Instant createdAt = startedAt;
      long revision = revisionOf(ctx.accessKey) + 1;
      publishOrDiscard(ctx, key, revision, expiresAt(ctx, createdAt));
      observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);

      recordIssued(ctx, o, key.accessKeyId(), createdAt, revision, staged ? o.currentKey() : null, staged,
          reason, messageFormat);
      return null;
    });
  }

  /** The last step of a create: the published key becomes current, the one it replaces previous. */
  private void recordIssued(KeyContext ctx, KeyObservation o, String accessKeyId, Instant createdAt, long revision,
      KeyInfo replaced, boolean staged, String reason, String messageFormat) {
    String rotate = annotation(ctx.accessKey, AccessKey.ROTATE_ANNOTATION);
    String revoke = annotation(ctx.accessKey, AccessKey.REVOKE_ANNOTATION);
    boolean revoked = o.revokeRequested() && replaced != null;
    String now = Times.format(clock.instant());
    ctx.accessKey = statusWriter.update(ctx.accessKey, s -> {
      retainAsPrevious(ctx, s, replaced, o.currentExpiresAt());
      recordCurrent(ctx, s, accessKeyId, createdAt, revision);
      s.rotationRequest = rotate;
      s.revokeRequest = revoke; // a new key serves a pending revocation too: it is not the leaked one
      if (revoked) {
        s.revocation = new Revocation(revoke, replaced.accessKeyId(), accessKeyId, now);
      }
    });
    observer.reached(LifecycleStep.KEY_RECORDED, ctx.accessKey);
    if (staged) {
      metrics.rotated();
    }
    if (revoked) {
      events.warning(ctx.accessKey, "Revoked", String.format(messageFormat, accessKeyId));
    } else {
      events.normal(ctx.accessKey, reason, String.format(messageFormat, accessKeyId));
    }
  }

  /**
   * Creates a key with credentials keywarden chose (MinIO) under a fence that records the chosen
   * access key id. A first key (or one that replaces a key lost at the backend) is published
   * before it exists, so a crash at any point leaves the Secret as the one source of truth about
   * what to create; a key that replaces a working one is created and verified first, because
   * workloads would break on a published key that does not exist yet.
   */
  private void issueChosen(KeyContext ctx, KeyObservation o, boolean staged, String reason, String messageFormat) {
    locks.withLock(ctx.lockKey(), () -> {
      MinioKeySpec.Chosen chosen = MinioKeySpec.credentials(client, ctx.accessKey);
      Instant startedAt = clock.instant();
      String nonce = UUID.randomUUID().toString();
      ctx.accessKey = statusWriter.writeFence(ctx.accessKey,
          new PendingCreate(nonce, Times.format(startedAt), chosen.accessKeyId()));
      observer.reached(LifecycleStep.FENCE_WRITTEN, ctx.accessKey);

      Instant expiresAt = expiresAt(ctx, startedAt);
      long revision = revisionOf(ctx.accessKey) + 1;
      CreateKeyRequest request = createRequest(ctx, nonce, expiresAt, chosen.accessKeyId(), chosen.secretKey());
      IssuedKey key;
      if (!staged) {
        Secret rendered = SecretRenderer.render(ctx.accessKey,
            entries(ctx.provider, chosen.accessKeyId(), chosen.secretKey(), null), revision, expiresAt);
        RuntimeException failed = writeSecret(ctx, rendered);
        if (failed != null) {
          clearFence(ctx); // nothing was created
          throw new KubernetesClientException("could not write Secret " + SecretRenderer.secretName(ctx.accessKey)
              + " before creating access key " + chosen.accessKeyId() + ": " + failed.getMessage(), failed);
        }
        observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
        try {
          key = ctx.backend.create(request);
        } catch (BackendException e) {
          if (e.reason() != BackendException.Reason.UNAVAILABLE) {
            secrets.delete(ctx.accessKey); // a definite refusal: the published key will never exist
            clearFence(ctx);
          } // else the outcome is unknown; the fence and the Secret stay and recovery completes the create
          throw e;
        }
        observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
      } else {
        try {
          key = ctx.backend.create(request);
        } catch (BackendException e) {
          if (e.reason() != BackendException.Reason.UNAVAILABLE) {
            clearFence(ctx);
          }
          throw e;
        }
        observer.reached(LifecycleStep.KEY_CREATED, ctx.accessKey);
        boolean known = key.accessKeyId().equals(o.currentKeyId()) || key.accessKeyId().equals(o.previousKeyId());
        if (known) {
          // Custom credentials that did not change: the "new" key is one we hold. Never delete it.
          ctx.backend.verify(key);
          observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
          RuntimeException failed = writeSecret(ctx, SecretRenderer.render(ctx.accessKey,
              entries(ctx.provider, key.accessKeyId(), key.secretAccessKey(), null), revision, expiresAt));
          if (failed != null) {
            throw failed;
          }
        } else {
          verifyOrDiscard(ctx, key);
          observer.reached(LifecycleStep.KEY_VERIFIED, ctx.accessKey);
          publishOrDiscard(ctx, key, revision, expiresAt);
        }
        observer.reached(LifecycleStep.SECRET_WRITTEN, ctx.accessKey);
      }

      // Custom credentials that did not change name the current key again: nothing to retire.
      KeyInfo replaced = staged && !key.accessKeyId().equals(o.currentKeyId()) ? o.currentKey() : null;
      recordIssued(ctx, o, key.accessKeyId(), startedAt, revision, replaced, staged, reason, messageFormat);
      return null;
    });
  }

  private CreateKeyRequest createRequest(
      KeyContext ctx, String nonce, Instant expiresAt, String accessKeyId, SecretValue secretKey) {
    return new CreateKeyRequest(ctx.desired.user(), nonce, ctx.accessKey.getSpec().description, expiresAt,
        ctx.accessKey.getSpec().name, ctx.policy, accessKeyId, secretKey);
  }

  /**
   * A fence that names the chosen access key id (MinIO, which records no creation time): only that
   * key is looked at, never keys by time or tag. If our Secret holds it with its secret, the key is
   * ours: complete the create if the backend does not have it yet, and adopt it. Otherwise we hold
   * no secret for it: delete it if it exists.
   */
  private void recoverChosen(KeyContext ctx, PendingCreate fence, boolean deleting) {
    AccessKey fresh = ctx.accessKey;
    AccessKeyStatus status = fresh.getStatus();
    String id = fence.accessKeyId;
    String user = ctx.desired.user();
    List<KeyInfo> keys = ctx.backend.list(user);
    boolean exists = keys.stream().anyMatch(k -> k.accessKeyId().equals(id));
    Secret own = secrets.read(fresh);
    Optional<SecretValue> held = own != null && PublishedSecret.isOwnedBy(own, fresh)
        && PublishedSecret.accessKeyId(own).filter(id::equals).isPresent()
        ? PublishedSecret.secretAccessKey(own) : Optional.empty();
    Instant startedAt = Times.parse(fence.startedAt);

    if (held.isEmpty()) {
      if (exists && !id.equals(status.accessKeyId) && !id.equals(status.previousAccessKeyId)) {
        ctx.backend.delete(user, id);
        metrics.orphanDeleted();
        events.warning(fresh, "OrphanDeleted", "deleted access key " + id + " left by an interrupted create");
      }
      ctx.accessKey = statusWriter.update(fresh, s -> s.pendingCreate = null);
      return;
    }
    if (!exists && deleting) {
      // the AccessKey is going away: never create a key only to delete it (the Secret goes with its owner)
      ctx.accessKey = statusWriter.update(fresh, s -> s.pendingCreate = null);
      return;
    }
    if (!exists) {
      try {
        ctx.backend.create(createRequest(ctx, fence.nonce, expiresAt(ctx, startedAt), id, held.get()));
      } catch (BackendException e) {
        if (e.reason() != BackendException.Reason.UNAVAILABLE) {
          secrets.delete(fresh); // the published key cannot be created: do not leave it published
          ctx.accessKey = statusWriter.update(fresh, s -> s.pendingCreate = null);
        }
        throw e;
      }
      events.normal(fresh, "Recovered", "created access key " + id + " that was published before an interruption");
    }
    KeyInfo current = status.accessKeyId == null || status.accessKeyId.equals(id) ? null
        : keys.stream().filter(k -> k.accessKeyId().equals(status.accessKeyId)).findFirst().orElse(null);
    Instant currentExpiresAt = LifecyclePlanner.expiresAt(
        Times.parse(status.createdAt), ctx.desired.absoluteExpiry(), ctx.desired.lifetime());
    long revision = Math.max(PublishedSecret.revision(own), revisionOf(fresh));
    String rotate = annotation(fresh, AccessKey.ROTATE_ANNOTATION);
    ctx.accessKey = statusWriter.update(fresh, s -> {
      retainAsPrevious(ctx, s, current, currentExpiresAt);
      recordCurrent(ctx, s, id, startedAt, revision);
      s.appliedSettings = null; // the settings step checks the adopted key against the spec
      s.rotationRequest = rotate;
    });
    events.normal(ctx.accessKey, "Recovered", "adopted access key " + id + " published before an interruption");
  }

  /**
   * A fence without a recorded key: the create may or may not have happened, and the Secret may
   * or may not hold the new key. Adopt the key our Secret holds; delete every other key created
   * since the fence that no AccessKey and no keywarden Secret references.
   */
  private void recover(KeyContext ctx, boolean deleting) {
    locks.withLock(ctx.lockKey(), () -> {
      String nonce = ctx.accessKey.getStatus().pendingCreate.nonce;
      AccessKey fresh = statusWriter.fresh(ctx.accessKey);
      PendingCreate fence = fresh.getStatus() == null ? null : fresh.getStatus().pendingCreate;
      if (fence == null || !Objects.equals(fence.nonce, nonce)) {
        ctx.accessKey = fresh; // the cached copy was stale; the fence was already resolved
        return null;
      }
      ctx.accessKey = fresh;
      if (fence.accessKeyId != null) {
        recoverChosen(ctx, fence, deleting);
        return null;
      }
      AccessKeyStatus status = fresh.getStatus();
      Instant since = Times.parse(fence.startedAt).minus(CLOCK_SKEW);
      List<KeyInfo> keys = ctx.backend.list(ctx.desired.user());
      Set<String> held = new HashSet<>();
      held.add(status.accessKeyId);
      held.add(status.previousAccessKeyId);
      // a backend that tags keys names exactly the interrupted create's keys; otherwise: by time
      List<KeyInfo> suspects = ctx.backend.tagsKeys()
          ? ctx.backend.findByTag(ctx.desired.user(), nonce)
          : keys.stream().filter(k -> k.createdAt() == null || !k.createdAt().isBefore(since)).toList();
      List<KeyInfo> candidates = suspects.stream().filter(k -> !held.contains(k.accessKeyId())).toList();

      Secret own = secrets.read(fresh);
      Optional<KeyInfo> adopted = Optional.empty();
      if (own != null && PublishedSecret.isOwnedBy(own, fresh) && PublishedSecret.secretAccessKey(own).isPresent()) {
        String published = PublishedSecret.accessKeyId(own).orElse(null);
        adopted = candidates.stream().filter(k -> k.accessKeyId().equals(published)).findFirst();
      }
      Set<String> referenced = referencedElsewhere(fresh);
      for (KeyInfo candidate : candidates) {
        boolean isAdopted = adopted.isPresent() && adopted.get().accessKeyId().equals(candidate.accessKeyId());
        if (!isAdopted && !referenced.contains(candidate.accessKeyId())) {
          ctx.backend.delete(ctx.desired.user(), candidate.accessKeyId());
          metrics.orphanDeleted();
          events.warning(fresh, "OrphanDeleted",
              "deleted access key " + candidate.accessKeyId() + " left by an interrupted create");
        }
      }
      Optional<KeyInfo> adopt = adopted;
      KeyInfo current = status.accessKeyId == null ? null
          : keys.stream().filter(k -> k.accessKeyId().equals(status.accessKeyId)).findFirst().orElse(null);
      Instant currentExpiresAt = LifecyclePlanner.expiresAt(
          Times.parse(status.createdAt), ctx.desired.absoluteExpiry(), ctx.desired.lifetime());
      long revision = own == null ? 0 : PublishedSecret.revision(own);
      String rotate = annotation(fresh, AccessKey.ROTATE_ANNOTATION);
      ctx.accessKey = statusWriter.update(fresh, s -> {
        if (adopt.isPresent()) {
          retainAsPrevious(ctx, s, current, currentExpiresAt);
          Instant createdAt = Times.parse(fence.startedAt);
          recordCurrent(ctx, s, adopt.get().accessKeyId(), createdAt, Math.max(revision, revisionOf(fresh)));
          s.rotationRequest = rotate;
        }
        s.pendingCreate = null;
      });
      adopt.ifPresent(k -> events.normal(ctx.accessKey, "Recovered",
          "adopted access key " + k.accessKeyId() + " published before an interruption"));
      return null;
    });
  }

  /**
   * Key ids named by any other AccessKey's status or any keywarden Secret but this one's, in the
   * namespaces this operator serves (a namespace-scoped install may not list the others).
   */
  private Set<String> referencedElsewhere(AccessKey self) {
    Set<String> ids = new HashSet<>();
    List<AccessKey> accessKeys = namespaces.isEmpty()
        ? client.resources(AccessKey.class).inAnyNamespace().list().getItems()
        : namespaces.stream().flatMap(ns -> client.resources(AccessKey.class).inNamespace(ns).list().getItems().stream()).toList();
    List<Secret> published = namespaces.isEmpty()
        ? client.secrets().inAnyNamespace().withLabel(SecretRenderer.MANAGED_BY_LABEL, SecretRenderer.MANAGED_BY).list().getItems()
        : namespaces.stream().flatMap(ns -> client.secrets().inNamespace(ns)
            .withLabel(SecretRenderer.MANAGED_BY_LABEL, SecretRenderer.MANAGED_BY).list().getItems().stream()).toList();
    for (AccessKey other : accessKeys) {
      if (other.getStatus() != null && !other.getMetadata().getUid().equals(self.getMetadata().getUid())) {
        ids.add(other.getStatus().accessKeyId);
        ids.add(other.getStatus().previousAccessKeyId);
      }
    }
    for (Secret secret : published) {
      if (!PublishedSecret.isOwnedBy(secret, self)) {
        PublishedSecret.accessKeyId(secret).ifPresent(ids::add);
      }
    }
    ids.remove(null);
    return ids;
  }

  private void retirePrevious(KeyContext ctx, KeyObservation o) {
    if (o.previousKey() != null) {
      if (o.previousKey().status() == KeyStatus.ACTIVE) {
        ctx.backend.setStatus(ctx.desired.user(), o.previousKeyId(), KeyStatus.INACTIVE);
        observer.reached(LifecycleStep.PREVIOUS_DEACTIVATED, ctx.accessKey);
      }
      ctx.backend.delete(ctx.desired.user(), o.previousKeyId());
      observer.reached(LifecycleStep.PREVIOUS_DELETED, ctx.accessKey);
      events.normal(ctx.accessKey, "PreviousKeyRetired",
          "deactivated and deleted previous access key " + o.previousKeyId());
    }
    ctx.accessKey = statusWriter.update(ctx.accessKey, KeyLifecycle::forgetPrevious);
  }

  private void expireCurrent(KeyContext ctx, KeyObservation o) {
    ctx.backend.delete(ctx.desired.user(), o.currentKeyId());
    secrets.delete(ctx.accessKey);
    ctx.accessKey = statusWriter.update(ctx.accessKey, s -> {
      s.accessKeyId = null;
      s.createdAt = null;
      s.renewalTime = null;
    });
    events.warning(ctx.accessKey, "Expired",
        "access key " + o.currentKeyId() + " reached its expiry at " + Times.format(o.currentExpiresAt())
            + " and was deleted");
  }

  private void setState(KeyContext ctx, KeyObservation o, KeyStatus target) {
    ctx.backend.setStatus(ctx.desired.user(), o.currentKeyId(), target);
    boolean repair = target == KeyStatus.ACTIVE
        && Conditions.find(ctx.accessKey.getStatus().conditions, Conditions.READY)
            .map(c -> "KeyActive".equals(c.getReason())).orElse(false);
    if (repair) {
      events.warning(ctx.accessKey, "Repaired",
          "access key " + o.currentKeyId() + " was disabled outside keywarden; re-enabled it");
    } else {
      events.normal(ctx.accessKey, target == KeyStatus.ACTIVE ? "Activated" : "Deactivated",
          "access key " + o.currentKeyId() + " is now " + target);
    }
  }

  /** Native expiry follows the spec in place: a changed date is no reason to rotate. */
  private void updateExpiry(KeyContext ctx, KeyObservation o) {
    ctx.backend.setExpiry(ctx.desired.user(), o.currentKeyId(), o.currentExpiresAt());
    events.normal(ctx.accessKey, "ExpiryUpdated", "access key " + o.currentKeyId() + " now expires "
        + (o.currentExpiresAt() == null ? "never" : "at " + Times.format(o.currentExpiresAt())));
  }

  /**
   * Applies the spec's name, description and policy, with its expiry and state, to the current key
   * in one update (MinIO: the policy is always resent, or MinIO would drop it).
   */
  private void updateSettings(KeyContext ctx, KeyObservation o) {
    KeyStatus state = o.desiredState() == io.keywarden.api.v1alpha1.KeyState.Inactive ? KeyStatus.INACTIVE : KeyStatus.ACTIVE;
    boolean changed = ctx.backend.update(ctx.desired.user(), o.currentKeyId(), new KeySettings(
        ctx.accessKey.getSpec().name, ctx.accessKey.getSpec().description, ctx.policy, o.currentExpiresAt(), state));
    String digest = ctx.settingsDigest();
    ctx.accessKey = statusWriter.update(ctx.accessKey, s -> s.appliedSettings = digest);
    if (changed) {
      events.normal(ctx.accessKey, "SettingsUpdated", "access key " + o.currentKeyId()
          + " now has the spec's name, description and policy");
    }
  }

  private void refreshSecret(KeyContext ctx) {
    Secret existing = secrets.read(ctx.accessKey);
    secrets.write(ctx.accessKey, rerender(ctx, existing));
  }

  private void verifyOrDiscard(KeyContext ctx, IssuedKey key) {
    Instant deadline = clock.instant().plus(settings.verifyTimeout());
    while (true) {
      try {
        ctx.backend.verify(key);
        return;
      } catch (BackendException e) {
        if (e.reason() != BackendException.Reason.KEY_NOT_USABLE_YET || !clock.instant().isBefore(deadline)) {
          discard(ctx, key);
          throw new BackendException(e.reason(),
              "new access key " + key.accessKeyId() + " did not work and was deleted: " + e.getMessage(), e);
        }
        sleep(settings.verifyInterval());
      }
    }
  }

  private void publishOrDiscard(KeyContext ctx, IssuedKey key, long revision, Instant expiresAt) {
    Secret rendered = SecretRenderer.render(ctx.accessKey, entries(ctx.provider, key.accessKeyId(),
        key.secretAccessKey(), key.sessionToken()), revision, expiresAt);
    RuntimeException last = writeSecret(ctx, rendered);
    if (last == null) {
      return;
    }
    discard(ctx, key);
    throw new KubernetesClientException(
        "could not write Secret " + SecretRenderer.secretName(ctx.accessKey) + "; deleted the new access key "
            + key.accessKeyId() + ": " + last.getMessage(), last);
  }

  /** Writes the Secret with a few retries; returns the last failure, or null once written. */
  private RuntimeException writeSecret(KeyContext ctx, Secret rendered) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= settings.secretWriteAttempts(); attempt++) {
      try {
        secrets.write(ctx.accessKey, rendered);
        return null;
      } catch (SecretStore.SecretOwnershipConflict e) {
        return e; // another owner appeared: retrying cannot help
      } catch (KubernetesClientException e) {
        last = e;
        sleep(Duration.ofMillis(250L * attempt));
      }
    }
    return last;
  }

  /** Removes a key that was created but will not be published, and lifts the fence. */
  private void discard(KeyContext ctx, IssuedKey key) {
    ctx.backend.delete(ctx.desired.user(), key.accessKeyId());
    clearFence(ctx);
  }

  private void clearFence(KeyContext ctx) {
    ctx.accessKey = statusWriter.update(ctx.accessKey, s -> s.pendingCreate = null);
  }

  private void retainAsPrevious(KeyContext ctx, AccessKeyStatus s, KeyInfo replaced, Instant replacedExpiresAt) {
    if (replaced == null || replaced.accessKeyId().equals(s.previousAccessKeyId)) {
      return;
    }
    Instant now = clock.instant();
    s.previousAccessKeyId = replaced.accessKeyId();
    // with consumers the grace period counts from their rollout, which is still to come
    s.previousRetireAt = ConsumerSettings.hasConsumers(ctx.accessKey.getSpec()) ? null
        : Times.format(RenewalSchedule.retireTime(now, ctx.desired.gracePeriod(), replacedExpiresAt));
    s.previousExpiresAt = Times.format(replacedExpiresAt);
  }

  private void recordCurrent(KeyContext ctx, AccessKeyStatus s, String accessKeyId, Instant createdAt, long revision) {
    Instant expiresAt = expiresAt(ctx, createdAt);
    s.accessKeyId = accessKeyId;
    s.createdAt = Times.format(createdAt);
    s.expiresAt = Times.format(expiresAt);
    s.renewalTime = Times.format(LifecyclePlanner.renewalTime(
        createdAt, expiresAt, ctx.desired.lifetime(), ctx.desired.renewBefore()));
    s.revision = revision;
    s.pendingCreate = null;
    // every key after the first replaces one that running pods may hold: restart the consumers
    s.rollout = ConsumerSettings.hasConsumers(ctx.accessKey.getSpec()) && revision > 1 ? new RolloutStatus(revision) : null;
    s.appliedSettings = ctx.backend.updatesKeySettings() ? ctx.settingsDigest() : null;
  }

  private static void forgetPrevious(AccessKeyStatus s) {
    s.previousAccessKeyId = null;
    s.previousRetireAt = null;
    s.previousExpiresAt = null;
  }

  private static Instant expiresAt(KeyContext ctx, Instant createdAt) {
    return LifecyclePlanner.expiresAt(createdAt, ctx.desired.absoluteExpiry(), ctx.desired.lifetime());
  }

  private Secret rerender(KeyContext ctx, Secret existing) {
    AccessKeyStatus status = ctx.accessKey.getStatus();
    SecretValue secret = PublishedSecret.secretAccessKey(existing).orElseThrow();
    SecretValue token = PublishedSecret.sessionToken(existing).orElse(null);
    Instant expiresAt = expiresAt(ctx, Times.parse(status.createdAt));
    return SecretRenderer.render(ctx.accessKey, entries(ctx.provider, status.accessKeyId, secret, token),
        PublishedSecret.revision(existing), expiresAt);
  }

  static Map<String, SecretValue> entries(
      ResolvedProvider provider, String accessKeyId, SecretValue secret, SecretValue token) {
    if (provider.spec().outscale != null) {
      return CredentialEntries.outscale(accessKeyId, secret, provider.spec().outscale.region);
    }
    if (provider.spec().minio != null) {
      return CredentialEntries.aws(accessKeyId, secret, token, provider.spec().minio.effectiveRegion(),
          provider.spec().minio.endpoint);
    }
    return CredentialEntries.aws(accessKeyId, secret, token, provider.spec().aws.region, provider.spec().aws.endpoint);
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

  private static long revisionOf(AccessKey ak) {
    return ak.getStatus().revision == null ? 0 : ak.getStatus().revision;
  }

  static String annotation(AccessKey ak, String name) {
    Map<String, String> annotations = ak.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes every key the AccessKey holds, resolving an interrupted create first. */
  void deleteAll(KeyContext ctx) {
    if (ctx.accessKey.getStatus() != null && ctx.accessKey.getStatus().pendingCreate != null) {
      recover(ctx, true);
    }
    AccessKeyStatus status = ctx.accessKey.getStatus();
    if (status == null) {
      return;
    }
    for (String id : new String[] {status.previousAccessKeyId, status.accessKeyId}) {
      if (id != null) {
        ctx.backend.delete(ctx.desired.user(), id);
        events.normal(ctx.accessKey, "Deleted", "deleted access key " + id);
      }
    }
  }
}
