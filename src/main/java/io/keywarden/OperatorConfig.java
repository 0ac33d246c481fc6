package io.keywarden;

import io.keywarden.budget.BudgetLimit;
import io.keywarden.expiry.ExpiryParser;
import io.keywarden.shard.Shard;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator settings from the environment (the Helm chart sets them).
 *
 * @param namespace the operator's own namespace: cluster providers read credentials there
 * @param watchNamespaces empty: all namespaces
 * @param resyncInterval the drift interval: every (provider, user) is checked at its backend once per interval
 * @param callBudgets per backend kind (aws, minio, outscale): each provider's call budget
 * @param shard which AccessKeys this instance serves (KEYWARDEN_SHARD; unset: the default instance)
 * @param userLeases whether creates and recoveries hold a Lease per (provider, user) so that other
 *     instances of the same cluster exclude them too (KEYWARDEN_USER_LEASES; default: on in a named
 *     shard; the chart turns it on in every instance once shards are listed)
 * @param userLeaseDuration how long such a Lease outlives its holder (KEYWARDEN_USER_LEASE_DURATION)
 */
public record OperatorConfig(
    String namespace,
    Set<String> watchNamespaces,
    Duration resyncInterval,
    boolean leaderElection,
    int reconcileThreads,
    int healthPort,
    int metricsPort,
    Map<String, BudgetLimit> callBudgets,
    Shard shard,
    boolean userLeases,
    Duration userLeaseDuration) {

  public static final Duration USER_LEASE_DURATION = Duration.ofSeconds(30);

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    Shard shard = Shard.named(env.get("KEYWARDEN_SHARD"));
    return new OperatorConfig(
        env.getOrDefault("KEYWARDEN_NAMESPACE", "keywarden"),
        Arrays.stream(env.getOrDefault("KEYWARDEN_WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        ExpiryParser.parseDuration(env.getOrDefault("KEYWARDEN_RESYNC_INTERVAL", "5m")),
        Boolean.parseBoolean(env.getOrDefault("KEYWARDEN_LEADER_ELECTION", "false")),
        Integer.parseInt(env.getOrDefault("KEYWARDEN_RECONCILE_THREADS", "10")),
        Integer.parseInt(env.getOrDefault("KEYWARDEN_HEALTH_PORT", "8081")),
        Integer.parseInt(env.getOrDefault("KEYWARDEN_METRICS_PORT", "8080")),
        BudgetLimit.fromEnvironment(env),
        shard,
        Boolean.parseBoolean(env.getOrDefault("KEYWARDEN_USER_LEASES", Boolean.toString(!shard.isDefault()))),
        env.containsKey("KEYWARDEN_USER_LEASE_DURATION")
            ? ExpiryParser.parseDuration(env.get("KEYWARDEN_USER_LEASE_DURATION")) : USER_LEASE_DURATION);
  }
}
