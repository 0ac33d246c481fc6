package io.keywarden.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.testsupport.StoppedClock;
import java.time.Instant;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two instances' {@link LeaseLocks} on one API server (the mock, CRUD mode). The renewal period is
 * far beyond the test, so only the stopped clock decides whether a Lease lapsed.
 */
@EnableKubernetesMockClient(crud = true)
class LeaseLocksTest {
  static final Duration DURATION = Duration.ofHours(3);
  static KubernetesClient client;
  final StoppedClock clock = new StoppedClock(Instant.parse("2026-03-01T10:00:00.123456Z"));

  @Test
  void oneHolderAtATimeUntilItGivesUp() {
    try (LeaseLocks a = new LeaseLocks(client, "ns-1", "a", DURATION, clock);
        LeaseLocks b = new LeaseLocks(client, "ns-1", "b", DURATION, clock)) {
      UserLeases.Held held = a.acquire("AccessKeyProvider/team/aws|bob");
      assertThatThrownBy(() -> b.acquire("AccessKeyProvider/team/aws|bob")).isInstanceOf(LeaseBusy.class)
          .hasMessageContaining("held by a");
      b.acquire("AccessKeyProvider/team/aws|carol").close(); // another user: its own Lease

      held.close();
      assertThat(lease("ns-1", "AccessKeyProvider/team/aws|bob").getSpec().getHolderIdentity()).isNull();
      b.acquire("AccessKeyProvider/team/aws|bob").close();
    }
  }

  @Test
  void aHolderThatStoppedRenewingLosesItAfterItsDuration() {
    try (LeaseLocks a = new LeaseLocks(client, "ns-2", "a", DURATION, clock);
        LeaseLocks b = new LeaseLocks(client, "ns-2", "b", DURATION, clock)) {
      a.acquire("ClusterAccessKeyProvider/shared|bob"); // never given up: a was killed
      clock.advance(DURATION);
      assertThatThrownBy(() -> b.acquire("ClusterAccessKeyProvider/shared|bob")).isInstanceOf(LeaseBusy.class);
      clock.advance(Duration.ofSeconds(1));
      b.acquire("ClusterAccessKeyProvider/shared|bob");
      assertThat(lease("ns-2", "ClusterAccessKeyProvider/shared|bob").getSpec().getHolderIdentity()).isEqualTo("b");
      assertThat(lease("ns-2", "ClusterAccessKeyProvider/shared|bob").getSpec().getLeaseTransitions()).isEqualTo(1);
    }
  }

  @Test
  void leaseNamesAreValidForAnyScope() {
    String name = LeaseLocks.leaseName("AccessKeyProvider/Team_A/aws|Bob@example.com");
    assertThat(name).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
    assertThat(name).isNotEqualTo(LeaseLocks.leaseName("AccessKeyProvider/Team_A/aws|bob@example.com"));
  }

  private static Lease lease(String namespace, String scope) {
    return client.leases().inNamespace(namespace).withName(LeaseLocks.leaseName(scope)).get();
  }
}
