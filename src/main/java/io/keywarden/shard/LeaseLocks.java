package io.keywarden.shard;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UserLeases} on coordination.k8s.io Leases in the operator's namespace, one per
 * (provider, user) scope, named by a digest of the scope. Every write is optimistic (the Lease's
 * resourceVersion), so two instances never both take one. A held Lease is renewed every third of
 * its duration; an instance killed while holding one blocks the scope for at most one duration.
 * Giving a Lease up clears its holder rather than deleting it: the Role then needs only the verbs
 * leader election already has (get, create, update).
 */
public final class LeaseLocks implements UserLeases {
  private static final Logger log = LoggerFactory.getLogger(LeaseLocks.class);
  static final String PREFIX = "keywarden-user-";
  static final String SCOPE_ANNOTATION = "keywarden.io/scope";

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Duration duration;
  private final Clock clock;
  /** Lease name to the Lease as last written by this instance. */
  private final ConcurrentMap<String, Lease> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer;

  /**
   * @param identity unique per process (a restarted pod must not take its predecessor's Leases for its own)
   * @param duration how long a Lease outlives its last renewal
   */
  public LeaseLocks(KubernetesClient client, String namespace, String identity, Duration duration, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.duration = duration;
    this.clock = clock;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "keywarden-user-leases");
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(1, duration.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public Held acquire(String scope) {
    String name = leaseName(scope);
    Instant now = clock.instant();
    Lease current = client.leases().inNamespace(namespace).withName(name).get();
    Lease mine;
    try {
      if (current == null) {
        mine = client.resource(new LeaseBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "keywarden")
            .addToAnnotations(SCOPE_ANNOTATION, scope)
            .endMetadata()
            .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(seconds())
            .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(0).endSpec()
            .build()).create();
      } else {
        String holder = current.getSpec().getHolderIdentity();
        if (!LeaseTerms.free(holder, identity, renewTime(current), current.getSpec().getLeaseDurationSeconds(), now)) {
          throw new LeaseBusy(name, holder);
        }
        current.getSpec().setHolderIdentity(identity);
        current.getSpec().setLeaseDurationSeconds(seconds());
        current.getSpec().setAcquireTime(time(now));
        current.getSpec().setRenewTime(time(now));
        Integer transitions = current.getSpec().getLeaseTransitions();
        current.getSpec().setLeaseTransitions(transitions == null ? 1 : transitions + 1);
        mine = client.resource(current).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        throw new LeaseBusy(name, "another instance (it took the Lease first)");
      }
      throw e;
    }
    held.put(name, mine);
    return () -> release(name);
  }

  private void release(String name) {
    held.computeIfPresent(name, (n, lease) -> {
      lease.getSpec().setHolderIdentity(null);
      try {
        client.resource(lease).update();
      } catch (KubernetesClientException e) {
        // it lapses by itself after its duration
        log.warn("could not give up Lease {}: {}", name, e.getMessage());
      }
      return null;
    });
  }

  private void renewAll() {
    for (String name : held.keySet()) {
      held.computeIfPresent(name, (n, lease) -> {
        lease.getSpec().setRenewTime(time(clock.instant()));
        try {
          return client.resource(lease).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            // someone took it after it lapsed: the work under it is no longer excluded
            log.error("lost Lease {} while holding it (not renewed within {})", name, duration);
            return null;
          }
          log.warn("could not renew Lease {}: {}", name, e.getMessage());
          return lease;
        }
      });
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }

  /** A Lease name (a DNS subdomain) for any scope: provider ids and user names may hold any character. */
  static String leaseName(String scope) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private int seconds() {
    return (int) Math.max(1, duration.toSeconds());
  }

  private static ZonedDateTime time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  private static Instant renewTime(Lease lease) {
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    return renewed == null ? null : renewed.toInstant();
  }
}
