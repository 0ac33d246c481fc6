package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-23T11:00:00Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> conditions = new ArrayList<>();
    assertThat(Conditions.set(conditions, "Ready", false, "ProviderNotFound", "m1", 1L, T0)).isTrue();
    assertThat(Conditions.set(conditions, "Ready", false, "Throttled", "m2", 2L, T1)).isTrue();
    Condition stillFalse = Conditions.find(conditions, "Ready").orElseThrow();
    assertThat(stillFalse.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(stillFalse.getReason()).isEqualTo("Throttled");
    assertThat(stillFalse.getObservedGeneration()).isEqualTo(2L);

    Conditions.set(conditions, "Ready", true, "KeyActive", "ok", 2L, T1);
    assertThat(Conditions.find(conditions, "Ready").orElseThrow().getLastTransitionTime()).isEqualTo("2026-11-23T11:00:00Z");
    assertThat(conditions).hasSize(1);
  }

  @Test
  void settingTheSameConditionAgainChangesNothing() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Ready", true, "KeyActive", "ok", 1L, T0);
    assertThat(Conditions.set(conditions, "Ready", true, "KeyActive", "ok", 1L, T1)).isFalse();
    assertThat(Conditions.isTrue(conditions, "Ready")).isTrue();
    assertThat(Conditions.isTrue(conditions, "Rotating")).isFalse();
  }
}
