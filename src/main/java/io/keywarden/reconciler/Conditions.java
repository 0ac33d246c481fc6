package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sets conditions the way Kubernetes tools expect: {@code lastTransitionTime} moves only when the
 * status flips, so Flux, Argo CD and {@code kubectl wait} see stable timestamps.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String ROTATING = "Rotating";

  private Conditions() {}

  /** Replaces or adds the condition of this type; returns whether anything changed. */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    String statusText = status ? "True" : "False";
    Optional<Condition> existing = find(conditions, type);
    String transition =
        existing
            .filter(c -> statusText.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(Times.format(now));
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    if (existing.isPresent() && existing.get().equals(updated)) {
      return false;
    }
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(updated);
    return true;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
