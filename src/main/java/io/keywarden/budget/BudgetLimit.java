package io.keywarden.budget;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A provider's call budget: calls per second, and how many may come at once after a quiet time.
 *
 * @param backend the backend kind it applies to: aws, minio or outscale
 */
public record BudgetLimit(String backend, double callsPerSecond, int burst) {
  /** The environment variable (chart value {@code backendCallsPerSecond}) that changes the defaults. */
  public static final String ENV = "KEYWARDEN_BACKEND_CALLS_PER_SECOND";

  /**
   * Defaults per backend. AWS IAM throttles an account's control-plane calls at a few tens per
   * second shared with everything else using the account; Outscale's API limits per account are
   * lower; MinIO is bound by its admin API's Argon2id cost, which the admin-call cap already limits.
   */
  public static final Map<String, Double> DEFAULTS = Map.of("aws", 10.0, "outscale", 5.0, "minio", 20.0);

  public BudgetLimit {
    if (!(callsPerSecond > 0) || Double.isInfinite(callsPerSecond)) {
      throw new IllegalArgumentException(ENV + ": " + backend + " needs a positive number of calls per second, got " + callsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException(ENV + ": " + backend + " needs a burst of at least 1, got " + burst);
    }
  }

  /** A budget of the given rate whose burst is two seconds' worth (at least one call). */
  public static BudgetLimit of(String backend, double callsPerSecond) {
    return new BudgetLimit(backend, callsPerSecond, (int) Math.max(1, Math.round(2 * callsPerSecond)));
  }

  /**
   * The limits per backend: the defaults, overridden by {@code aws=10,minio=20,outscale=5} in
   * {@link #ENV} (any subset, any order).
   *
   * @throws IllegalArgumentException naming the variable and the entry it cannot read
   */
  public static Map<String, BudgetLimit> fromEnvironment(Map<String, String> env) {
    Map<String, Double> rates = new LinkedHashMap<>(DEFAULTS);
    String configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) {
      for (String entry : configured.split(",")) {
        String[] parts = entry.split("=", 2);
        String backend = parts[0].trim();
        if (parts.length != 2 || !DEFAULTS.containsKey(backend)) {
          throw new IllegalArgumentException(ENV + ": expected backend=callsPerSecond with backend one of "
              + DEFAULTS.keySet().stream().sorted().toList() + ", got '" + entry.trim() + "'");
        }
        try {
          rates.put(backend, Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(ENV + ": " + backend + " needs a number of calls per second, got '"
              + parts[1].trim() + "'");
        }
      }
    }
    Map<String, BudgetLimit> limits = new LinkedHashMap<>();
    rates.forEach((backend, rate) -> limits.put(backend, of(backend, rate)));
    return Map.copyOf(limits);
  }
}
