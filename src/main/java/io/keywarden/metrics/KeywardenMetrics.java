package io.keywarden.metrics;

import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * keywarden's own Prometheus metrics, next to JOSDK's reconcile metrics in the same registry:
 * keys by state, seconds until the nearest expiry, backend calls, rotations and orphan cleanups.
 */
public final class KeywardenMetrics {
  /** A published key: its state, when it expires and when it is renewed (each may be null). */
  private record KeyView(KeyState state, Instant expiresAt, Instant renewalTime) {
    /** It will expire and no renewal is ahead of it: a fixed expiry, or a renewal that is overdue. */
    boolean expiresUnrenewed(Instant now) {
      return expiresAt != null && (renewalTime == null || !renewalTime.isAfter(now));
    }
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, KeyView> keys = new ConcurrentHashMap<>();
  /** AccessKeys whose last attempt failed, with the Ready reason. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private final Set<String> failureReasons = ConcurrentHashMap.newKeySet();
  private final Counter rotations;
  private final Counter orphans;
  private final Counter leaseWaits;
  private final Clock clock;

  public KeywardenMetrics(Clock clock) {
    this.clock = clock;
    for (KeyState state : KeyState.values()) {
      Gauge.builder("keywarden_access_keys", keys, k -> count(k, state))
          .description("AccessKeys holding a published key, by state")
          .tag("state", state.name())
          .register(registry);
    }
    Gauge.builder("keywarden_seconds_until_next_expiry", keys, this::secondsUntilNextExpiry)
        .description("Seconds until the nearest key expiry (NaN when no key expires)")
        .register(registry);
    Gauge.builder("keywarden_seconds_until_next_unrenewed_expiry", keys, this::secondsUntilNextUnrenewedExpiry)
        .description("Seconds until the nearest expiry of a key with no renewal ahead: a fixed spec.expiry, or a"
            + " renewal that is overdue (NaN when there is none)")
        .register(registry);
    Gauge.builder("keywarden_renewals_overdue", keys, this::renewalsOverdue)
        .description("Keys whose renewal time has passed while they still hold the same key")
        .register(registry);
    rotations = Counter.builder("keywarden_rotations_total").description("Keys rotated").register(registry);
    orphans = Counter.builder("keywarden_orphans_deleted_total")
        .description("Keys deleted because an interrupted create left them unreferenced").register(registry);
    leaseWaits = Counter.builder("keywarden_user_lease_waits_total")
        .description("Creates and recoveries put off because another instance held the (provider, user) Lease")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  public KeyBackend metered(String providerId, KeyBackend backend) {
    return MeteredBackend.wrap(backend, providerId, registry);
  }

  /** Records the published key of an AccessKey; {@code expiresAt} and {@code renewalTime} may be null. */
  public void keyPublished(String accessKey, KeyState state, Instant expiresAt, Instant renewalTime) {
    keys.put(accessKey, new KeyView(state, expiresAt, renewalTime));
    failing.remove(accessKey);
  }

  /** Records that an AccessKey's last attempt failed, with its Ready reason; its key (if any) stays counted. */
  public void keyFailing(String accessKey, String reason) {
    failing.put(accessKey, reason);
    if (failureReasons.add(reason)) {
      Gauge.builder("keywarden_access_keys_failing", failing, f -> count(f, reason))
          .description("AccessKeys whose last attempt failed (Ready=False), by reason")
          .tag("reason", reason)
          .register(registry);
    }
  }

  public void keyGone(String accessKey) {
    keys.remove(accessKey);
    failing.remove(accessKey);
  }

  /**
   * Forgets the AccessKeys this instance no longer serves (relabelled to another shard): the
   * instance serving them now counts them, and a view left here would turn overdue.
   */
  public void retainServed(Predicate<String> served) {
    keys.keySet().removeIf(accessKey -> !served.test(accessKey));
    failing.keySet().removeIf(accessKey -> !served.test(accessKey));
  }

  public void rotated() {
    rotations.increment();
  }

  public void orphanDeleted() {
    orphans.increment();
  }

  public void leaseWait() {
    leaseWaits.increment();
  }

  private static double count(Map<String, KeyView> keys, KeyState state) {
    return keys.values().stream().filter(k -> k.state() == state).count();
  }

  private static double count(Map<String, String> failing, String reason) {
    return failing.values().stream().filter(reason::equals).count();
  }

  private double secondsUntilNextUnrenewedExpiry(Map<String, KeyView> views) {
    Instant now = clock.instant();
    return views.values().stream()
        .filter(k -> k.expiresUnrenewed(now))
        .map(KeyView::expiresAt)
        .min(Instant::compareTo)
        .map(t -> (double) Duration.between(now, t).toSeconds())
        .orElse(Double.NaN);
  }

  private double renewalsOverdue(Map<String, KeyView> views) {
    Instant now = clock.instant();
    return views.values().stream().filter(k -> k.renewalTime() != null && !k.renewalTime().isAfter(now)).count();
  }

  private double secondsUntilNextExpiry(Map<String, KeyView> views) {
    Instant now = clock.instant();
    return views.values().stream()
        .map(KeyView::expiresAt)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .map(t -> (double) Duration.between(now, t).toSeconds())
        .orElse(Double.NaN);
  }
}
