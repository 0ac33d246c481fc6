package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import io.keywarden.expiry.RenewalSchedule;
import io.keywarden.rollout.ConsumerRestarter;
import io.keywarden.rollout.WorkloadRef;
import io.keywarden.secret.SecretRenderer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The steps of a rotation with consumers: restart them for the published revision, record their rollout. */
final class ConsumerSteps {
  private final ConsumerRestarter restarter;
  private final StatusRecorder status;
  private final EventRecorder events;
  private final LifecycleObserver steps;
  private final Clock clock;

  ConsumerSteps(ConsumerRestarter restarter, StatusRecorder status, EventRecorder events, LifecycleObserver steps,
      Clock clock) {
    this.restarter = restarter;
    this.status = status;
    this.events = events;
    this.steps = steps;
    this.clock = clock;
  }

  /**
   * The consumers' rollout for the published revision, with each consumer's progress read now
   * while it is under way (a GET per workload: no informer watches them).
   */
  Retirement.Rollout observe(KeyContext ctx) {
    AccessKeyStatus s = ctx.accessKey.getStatus();
    RolloutStatus rollout = s.rollout;
    if (rollout == null || !Objects.equals(rollout.revision, s.revision)) {
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
  Instant restart(KeyContext ctx) {
    AccessKey ak = ctx.accessKey;
    AccessKeyStatus s = ak.getStatus();
    long revision = s.rollout.revision;
    Revocation revocation = s.revocation;
    boolean urgent = revocation != null && Objects.equals(revocation.replacedBy, s.accessKeyId);
    Instant now = clock.instant();
    ConsumerRestarter.Restart restart = restarter.restart(ak.getMetadata().getNamespace(), ak.getSpec().rotation,
        SecretRenderer.secretName(ak), ak.getMetadata().getName(), revision, urgent, now);
    if (!restart.complete()) {
      return restart.waitUntil();
    }
    steps.reached(LifecycleStep.CONSUMERS_RESTARTED, ak);
    List<WorkloadRollout> progress = restarter.progress(restart.consumers());
    ctx.accessKey = status.update(ak, next -> {
      next.rollout.startedAt = Times.format(now);
      next.rollout.workloads = progress;
    });
    ctx.rolloutProgress = progress;
    events.normal(ctx.accessKey, "ConsumersRestarted", restart.consumers().isEmpty()
        ? "no consumers to restart for revision " + revision
        : "restarting " + names(restart.consumers()) + " for revision " + revision);
    return null;
  }

  /** Every consumer rolled out: the grace period of the previous key counts from now. */
  void recordRollout(KeyContext ctx, KeyObservation o) {
    Instant now = clock.instant();
    List<WorkloadRollout> progress = ctx.rolloutProgress;
    Instant retireAt = o.previousKeyId() == null ? null
        : RenewalSchedule.retireTime(now, ctx.desired.gracePeriod(), o.previousExpiresAt());
    ctx.accessKey = status.update(ctx.accessKey, next -> {
      next.rollout.finishedAt = Times.format(now);
      next.rollout.workloads = progress;
      if (retireAt != null) {
        next.previousRetireAt = Times.format(retireAt);
      }
    });
    events.normal(ctx.accessKey, "ConsumersRolledOut", "consumers rolled out revision "
        + ctx.accessKey.getStatus().rollout.revision
        + (retireAt == null ? "" : "; previous access key " + o.previousKeyId() + " retires at " + Times.format(retireAt)));
  }

  private static String names(List<WorkloadRef> refs) {
    return refs.stream().map(WorkloadRef::toString).collect(Collectors.joining(", "));
  }
}
