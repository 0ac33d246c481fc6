package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code Rotating} condition: whether a rotation is under way and where it stands (which
 * consumers, how many pods updated, when the previous key retires, or why it is kept). Pure.
 */
public final class RotatingCondition {
  public static final String NOT_ROTATING = "NotRotating";
  public static final String GRACE_PERIOD = "GracePeriod";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String ROLLOUT_STALLED = "RolloutStalled";
  public static final String REVOKED = "Revoked";

  private RotatingCondition() {}

  public record Value(boolean status, String reason, String message) {}

  /**
   * @param previousKeyId the key being replaced; null when none is held
   * @param retirement the decision about it; null when none is held
   * @param previousRetireAt when it retires, once known
   * @param rollout the consumers' rollout for the published revision; null without consumers
   * @param revocation the last revocation; it is shown while its replacement is the current key
   */
  public static Value of(String currentKeyId, String previousKeyId, Retirement.Decision retirement,
      Instant previousRetireAt, Instant previousExpiresAt, RolloutStatus rollout, Revocation revocation,
      Duration rolloutTimeout) {
    boolean revoked = revocation != null && currentKeyId != null && currentKeyId.equals(revocation.replacedBy);
    String revokedNote = revoked ? "access key " + revocation.accessKeyId + " was revoked at " + revocation.revokedAt
        + " (keywarden.io/revoke=" + revocation.request + ") and deactivated at once; " : "";
    boolean rollingOut = rollout != null && rollout.finishedAt == null;
    if (previousKeyId == null) {
      if (rollingOut) {
        return new Value(true, revoked ? REVOKED : ROLLING_OUT, revokedNote + rolloutProgress(rollout));
      }
      if (revoked) {
        return new Value(false, REVOKED, revokedNote + (rollout == null ? "no consumers to restart"
            : "consumers rolled out revision " + rollout.revision + " at " + rollout.finishedAt));
      }
      return new Value(false, NOT_ROTATING, "no rotation in progress");
    }
    String previous = "previous access key " + previousKeyId;
    return switch (retirement.phase()) {
      case STALLED -> new Value(true, ROLLOUT_STALLED, stalled(rollout) + " within rolloutTimeout "
          + rolloutTimeout.toString().substring(2).toLowerCase() + ": " + previous + " stays active "
          + (previousExpiresAt == null ? "until they roll out (it has no expiry)" : "until its own expiry at "
              + Times.format(previousExpiresAt) + " unless they roll out first"));
      case ROLLING_OUT, RESTART_CONSUMERS, RECORD_ROLLOUT_FINISHED -> new Value(true, ROLLING_OUT,
          previous + " stays active until the consumers rolled out, then for the grace period; "
              + rolloutProgress(rollout));
      case GRACE -> new Value(true, GRACE_PERIOD, (rollout == null ? "" : "consumers rolled out revision "
          + rollout.revision + " at " + rollout.finishedAt + "; ") + previous + " retires at "
          + Times.format(previousRetireAt != null ? previousRetireAt : retirement.until()));
      case RETIRE -> new Value(true, GRACE_PERIOD, previous + " is being retired: " + retirement.why());
    };
  }

  static String rolloutProgress(RolloutStatus rollout) {
    if (rollout == null) {
      return "no consumers";
    }
    if (rollout.startedAt == null) {
      return "restarting the consumers for revision " + rollout.revision;
    }
    return "consumers rolling out revision " + rollout.revision + ": " + describe(rollout.workloads);
  }

  private static String stalled(RolloutStatus rollout) {
    List<WorkloadRollout> late = rollout.workloads.stream().filter(w -> !Boolean.TRUE.equals(w.done)).toList();
    return describe(late) + " did not roll out revision " + rollout.revision;
  }

  private static String describe(List<WorkloadRollout> workloads) {
    if (workloads.isEmpty()) {
      return "none";
    }
    return workloads.stream().map(RotatingCondition::describe).collect(Collectors.joining(", "));
  }

  private static String describe(WorkloadRollout w) {
    String name = w.kind + "/" + w.name;
    if (Boolean.TRUE.equals(w.done)) {
      return name + " done";
    }
    return name + " " + n(w.updated) + "/" + n(w.desired) + " updated, " + n(w.available) + " available";
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
