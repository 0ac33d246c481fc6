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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * keywarden's own Prometheus metrics, next to JOSDK's reconcile metrics in the same registry:
 * keys by state, seconds until the nearest expiry, backend calls, rotations and orphan cleanups.
 */
public final class KeywardenMetrics {
  private record KeyView(KeyState state, Instant expiresAt) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, KeyView> keys = new ConcurrentHashMap<>();
  private final Counter rotations;
  private final Counter orphans;
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
    rotations = Counter.builder("keywarden_rotations_total").description("Keys rotated").register(registry);
    orphans = Counter.builder("keywarden_orphans_deleted_total")
        .description("Keys deleted because an interrupted create left them unreferenced").register(registry);
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

  /** Records the published key of an AccessKey; {@code expiresAt} may be null. */
  public void keyPublished(String accessKey, KeyState state, Instant expiresAt) {
    keys.put(accessKey, new KeyView(state, expiresAt));
  }

  public void keyGone(String accessKey) {
    keys.remove(accessKey);
  }

  public void rotated() {
    rotations.increment();
  }

  public void orphanDeleted() {
    orphans.increment();
  }

  private static double count(Map<String, KeyView> keys, KeyState state) {
    return keys.values().stream().filter(k -> k.state() == state).count();
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
