package io.keywarden.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {
  @Test
  void theDefaultInstanceTakesAccessKeysWithoutTheLabel() {
    Shard shard = Shard.named("");
    assertThat(shard.isDefault()).isTrue();
    assertThat(shard.selector()).isEqualTo("!keywarden.io/shard");
    assertThat(shard.leaderLease()).isEqualTo("keywarden-leader");
    assertThat(Shard.named(null)).isEqualTo(shard);
  }

  @Test
  void aNamedShardTakesAccessKeysLabelledWithItsName() {
    Shard shard = Shard.named(" team-a ");
    assertThat(shard.isDefault()).isFalse();
    assertThat(shard.selector()).isEqualTo("keywarden.io/shard=team-a");
    assertThat(shard.leaderLease()).isEqualTo("keywarden-leader-team-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Team-A", "team_a", "-a", "a-", "a.b", "a23456789012345678901234567890123456789x1"})
  void aNameThatCannotNameALeaseOrADeploymentIsRefused(String name) {
    assertThatThrownBy(() -> Shard.named(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEYWARDEN_SHARD");
  }
}
