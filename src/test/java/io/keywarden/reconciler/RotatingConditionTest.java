package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.api.v1alpha1.Revocation;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.api.v1alpha1.WorkloadKind;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import io.keywarden.reconciler.Retirement.Decision;
import io.keywarden.reconciler.Retirement.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotatingConditionTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  static RolloutStatus rollout(String finishedAt, WorkloadRollout... workloads) {
    RolloutStatus rollout = new RolloutStatus();
    rollout.revision = 3L;
    rollout.startedAt = Times.format(T0);
    rollout.finishedAt = finishedAt;
    rollout.workloads = List.of(workloads);
    return rollout;
  }

  static final WorkloadRollout APP_HALF = new WorkloadRollout(WorkloadKind.Deployment, "app", 2, 1, 2, false);
  static final WorkloadRollout AGENT_DONE = new WorkloadRollout(WorkloadKind.DaemonSet, "agent", 1, 1, 1, true);

  @Test
  void rollingOutNamesEachConsumerAndItsPods() {
    RotatingCondition.Value v = RotatingCondition.of("AKNEW", "AKOLD", new Decision(Phase.ROLLING_OUT, "", T0.plus(TIMEOUT)),
        null, T0.plus(Duration.ofDays(3)), rollout(null, APP_HALF, AGENT_DONE), null, TIMEOUT);

    assertThat(v.status()).isTrue();
    assertThat(v.reason()).isEqualTo("RollingOut");
    assertThat(v.message()).contains("previous access key AKOLD stays active until the consumers rolled out")
        .contains("Deployment/app 1/2 updated, 2 available").contains("DaemonSet/agent done").contains("revision 3");
  }

  @Test
  void aStalledRolloutSaysWhichWorkloadAndUntilWhenTheOldKeyIsKept() {
    RotatingCondition.Value v = RotatingCondition.of("AKNEW", "AKOLD", new Decision(Phase.STALLED, "", T0.plus(Duration.ofDays(3))),
        null, T0.plus(Duration.ofDays(3)), rollout(null, APP_HALF, AGENT_DONE), null, TIMEOUT);

    assertThat(v.reason()).isEqualTo("RolloutStalled");
    assertThat(v.message()).startsWith("Deployment/app 1/2 updated, 2 available did not roll out revision 3 within rolloutTimeout 30m")
        .contains("AKOLD stays active until its own expiry at 2026-11-26T12:00:00Z").doesNotContain("agent");
  }

  @Test
  void aStalledRolloutOfAKeyWithoutExpiry() {
    RotatingCondition.Value v = RotatingCondition.of("AKNEW", "AKOLD", new Decision(Phase.STALLED, "", null),
        null, null, rollout(null, APP_HALF), null, TIMEOUT);

    assertThat(v.message()).contains("AKOLD stays active until they roll out (it has no expiry)");
  }

  @Test
  void graceAfterTheRollout() {
    RotatingCondition.Value v = RotatingCondition.of("AKNEW", "AKOLD", new Decision(Phase.GRACE, "", T0.plusSeconds(900)),
        T0.plusSeconds(900), null, rollout("2026-11-23T12:05:00Z", AGENT_DONE), null, TIMEOUT);

    assertThat(v.reason()).isEqualTo("GracePeriod");
    assertThat(v.message()).isEqualTo(
        "consumers rolled out revision 3 at 2026-11-23T12:05:00Z; previous access key AKOLD retires at 2026-11-23T12:15:00Z");
  }

  @Test
  void aRevocationIsShownWhileItsReplacementIsCurrent() {
    Revocation revocation = new Revocation("leak-1", "AKLEAKED", "AKNEW", "2026-11-23T12:00:00Z");

    RotatingCondition.Value during = RotatingCondition.of("AKNEW", null, null, null, null, rollout(null, APP_HALF), revocation, TIMEOUT);
    RotatingCondition.Value after = RotatingCondition.of("AKNEW", null, null, null, null, rollout("2026-11-23T12:02:00Z", AGENT_DONE), revocation, TIMEOUT);
    RotatingCondition.Value later = RotatingCondition.of("AKNEWER", null, null, null, null, null, revocation, TIMEOUT);

    assertThat(during.status()).isTrue();
    assertThat(during.reason()).isEqualTo("Revoked");
    assertThat(during.message()).contains("access key AKLEAKED was revoked at 2026-11-23T12:00:00Z (keywarden.io/revoke=leak-1)")
        .contains("Deployment/app 1/2 updated");
    assertThat(after.status()).isFalse();
    assertThat(after.reason()).isEqualTo("Revoked");
    assertThat(after.message()).contains("consumers rolled out revision 3 at 2026-11-23T12:02:00Z");
    assertThat(later.reason()).isEqualTo("NotRotating");
  }
}
