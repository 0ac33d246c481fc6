package io.keywarden.budget;

import java.time.Duration;

/** The provider's call budget is spent: the reconcile stops before calling and comes back later. */
public final class OverBudget extends RuntimeException {
  private final Duration retryAfter;

  public OverBudget(String providerId, Duration retryAfter) {
    super("call budget of " + providerId + " spent; next turn in " + retryAfter.toMillis() + " ms");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
