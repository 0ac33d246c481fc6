package io.keywarden.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;

/**
 * Requests counted by kube-apiserver itself ({@code apiserver_request_total} on its /metrics), so
 * writes per key are what reached the API server, whatever the client thinks it sent. The local
 * control plane runs no controller-manager or scheduler: the only other writers are the benchmark,
 * whose own AccessKey creates are left out, and the API server's own leases, which are on other
 * resources.
 */
record ApiRequests(PromText metrics) {
  static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "DELETECOLLECTION", "APPLY");
  static final Set<String> READ_VERBS = Set.of("GET", "LIST");
  /** What keywarden (or the floor program) writes: AccessKeys and their status, Secrets, Events. */
  static final Set<String> RESOURCES = Set.of("accesskeys", "accesskeyproviders", "clusteraccesskeyproviders", "secrets", "events");

  static ApiRequests read(KubernetesClient admin) {
    return new ApiRequests(PromText.parse(admin.raw("/metrics")));
  }

  /** Writes on keywarden's resources, without AccessKey creates (only the benchmark creates AccessKeys). */
  double writes() {
    return metrics.sum("apiserver_request_total", s -> RESOURCES.contains(s.label("resource"))
        && WRITE_VERBS.contains(s.label("verb"))
        && !(s.label("resource").equals("accesskeys") && s.label("verb").equals("POST")));
  }

  double writes(String resource, String subresource) {
    return metrics.sum("apiserver_request_total", s -> s.label("resource").equals(resource)
        && s.label("subresource").equals(subresource) && WRITE_VERBS.contains(s.label("verb"))
        && !(s.label("resource").equals("accesskeys") && s.label("verb").equals("POST")));
  }

  double reads() {
    return metrics.sum("apiserver_request_total", s -> RESOURCES.contains(s.label("resource")) && READ_VERBS.contains(s.label("verb")));
  }

  /** CPU seconds kube-apiserver has used since it started: the load every request puts on it. */
  double cpuSeconds() {
    return metrics.sum("process_cpu_seconds_total");
  }

  /**
   * Counts between two snapshots. Lease writes are apart from {@link #writes}: leader election
   * renews them at rest, and a sharded install adds one per (provider, user) around each create.
   */
  record Delta(double writes, double statusWrites, double secretWrites, double eventWrites, double reads,
      double leaseWrites, double apiServerCpuSeconds) {
    static Delta between(ApiRequests before, ApiRequests after) {
      return new Delta(
          after.writes() - before.writes(),
          after.writes("accesskeys", "status") - before.writes("accesskeys", "status"),
          after.writes("secrets", "") - before.writes("secrets", ""),
          after.writes("events", "") - before.writes("events", ""),
          after.reads() - before.reads(),
          after.writes("leases", "") - before.writes("leases", ""),
          after.cpuSeconds() - before.cpuSeconds());
    }
  }
}
