package io.keywarden.bench;

/**
 * Backend calls counted by the operator ({@code keywarden_backend_calls_total}) between two scrapes;
 * {@code providerChecks} are the providers' own Ready checks ({@code whoAmI}), not any key's.
 */
record Calls(double total, double creates, double lists, double providerChecks) {
  private static final String NAME = "keywarden_backend_calls_total";

  /** {@code before} null: everything the process counted since it started. */
  static Calls between(PromText before, PromText after) {
    return new Calls(
        count(after, null) - (before == null ? 0 : count(before, null)),
        count(after, "create") - (before == null ? 0 : count(before, "create")),
        count(after, "list") - (before == null ? 0 : count(before, "list")),
        count(after, "whoAmI") - (before == null ? 0 : count(before, "whoAmI")));
  }

  private static double count(PromText metrics, String operation) {
    return metrics.sum(NAME, s -> operation == null || s.label("operation").equals(operation));
  }
}
