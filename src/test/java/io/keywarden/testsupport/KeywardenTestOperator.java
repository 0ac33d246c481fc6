package io.keywarden.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.OperatorConfig;
import io.keywarden.StandardBackends;
import io.keywarden.backend.BackendRegistry;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.AccessKeyReconciler;
import io.keywarden.reconciler.KeyLifecycle;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.shard.Shard;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Starts the real operator in-process on a test client, with fast timings. */
public final class KeywardenTestOperator {
  public static final AccessKeyReconciler.Settings FAST = new AccessKeyReconciler.Settings(
      Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1),
      new KeyLifecycle.Settings(Duration.ofSeconds(10), Duration.ofMillis(200), 3, Duration.ofSeconds(1)));
  /**
   * For tests that move the operator's clock: nothing notices a move until the operator next wakes,
   * which in production is within a drift interval. A drift check every 100 ms, woken right at its
   * slot, brings that within 100 ms of real time; retries and backoff are as short.
   */
  public static final AccessKeyReconciler.Settings CLOCK_DRIVEN = new AccessKeyReconciler.Settings(
      Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ZERO,
      new KeyLifecycle.Settings(Duration.ofSeconds(10), Duration.ofMillis(50), 3, Duration.ofSeconds(1)));
  /**
   * Call budgets for {@link #CLOCK_DRIVEN}: its drift checks come thousands of times as often as in
   * production, where a key is checked every few minutes, so the default budgets would run out and
   * the refusals, not the lifecycle, would set the pace. One call of burst: a throttling answer
   * empties it, and refilling it takes microseconds, not the seconds of a two-second burst.
   */
  public static final Map<String, BudgetLimit> CLOCK_DRIVEN_BUDGETS = Map.of(
      "aws", new BudgetLimit("aws", 100_000, 1),
      "minio", new BudgetLimit("minio", 100_000, 1),
      "outscale", new BudgetLimit("outscale", 100_000, 1));

  private KeywardenTestOperator() {}

  /** Watches only {@code namespace}, so tests sharing an API server do not see each other's keys. */
  public static KeywardenOperator start(
      KubernetesClient client, String namespace, BackendFactory backends, LifecycleObserver observer) {
    return start(client, namespace, backends, observer, Clock.systemUTC());
  }

  /** With the operator's own clock, for time-driven steps (renewal) that real time would take minutes to reach. */
  public static KeywardenOperator start(
      KubernetesClient client, String namespace, BackendFactory backends, LifecycleObserver observer, Clock clock) {
    return start(client, namespace, StandardBackends.registry(), backends, observer, clock);
  }

  /** With backend kinds of the test's choosing. */
  public static KeywardenOperator start(KubernetesClient client, String namespace, BackendRegistry kinds,
      BackendFactory backends, LifecycleObserver observer, Clock clock) {
    return start(client, namespace, kinds, backends, observer, clock, FAST);
  }

  /** With {@link #CLOCK_DRIVEN} timings and budgets, for tests that move the operator's clock. */
  public static KeywardenOperator startClockDriven(KubernetesClient client, String namespace, BackendRegistry kinds,
      BackendFactory backends, LifecycleObserver observer, Clock clock) {
    return start(client, namespace, kinds, backends, observer, clock, CLOCK_DRIVEN, 4, CLOCK_DRIVEN_BUDGETS);
  }

  /** With timings of the test's choosing (a drift interval longer than the test, for one). */
  public static KeywardenOperator start(KubernetesClient client, String namespace, BackendRegistry kinds,
      BackendFactory backends, LifecycleObserver observer, Clock clock, AccessKeyReconciler.Settings settings) {
    return start(client, namespace, kinds, backends, observer, clock, settings, 4);
  }

  /** With this many reconcile threads (one: a thread held by one AccessKey would hold up every other). */
  public static KeywardenOperator start(KubernetesClient client, String namespace, BackendRegistry kinds,
      BackendFactory backends, LifecycleObserver observer, Clock clock, AccessKeyReconciler.Settings settings,
      int reconcileThreads) {
    return start(client, namespace, kinds, backends, observer, clock, settings, reconcileThreads,
        BudgetLimit.fromEnvironment(Map.of()));
  }

  /** With call budgets of the test's choosing (one that refills a call at a time, for one). */
  public static KeywardenOperator start(KubernetesClient client, String namespace, BackendRegistry kinds,
      BackendFactory backends, LifecycleObserver observer, Clock clock, AccessKeyReconciler.Settings settings,
      int reconcileThreads, Map<String, BudgetLimit> callBudgets) {
    OperatorConfig config = new OperatorConfig("keywarden", Set.of(namespace), settings.resyncInterval(), false,
        reconcileThreads, 0, 0, callBudgets, Shard.DEFAULT, false, OperatorConfig.USER_LEASE_DURATION);
    KeywardenOperator operator = KeywardenOperator.create(client, config, kinds, backends, observer, clock, settings);
    operator.start();
    return operator;
  }

  /**
   * One instance of a sharded install, serving {@code namespace}: its user Leases live there too
   * (a real install keeps them in the operator's namespace).
   */
  public static KeywardenOperator startShard(KubernetesClient client, String namespace, Shard shard,
      Duration leaseDuration, BackendFactory backends, LifecycleObserver observer) {
    OperatorConfig config = new OperatorConfig(namespace, Set.of(namespace), FAST.resyncInterval(), false, 4, 0, 0,
        BudgetLimit.fromEnvironment(Map.of()), shard, true, leaseDuration);
    KeywardenOperator operator = KeywardenOperator.create(client, config, StandardBackends.registry(), backends, observer,
        Clock.systemUTC(), FAST);
    operator.start();
    return operator;
  }

  public static KeywardenOperator start(KubernetesClient client, String namespace, BackendFactory backends) {
    return start(client, namespace, backends, (step, ak) -> {});
  }
}
