package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import io.keywarden.backend.KeyBackend;
import io.keywarden.provider.ResolvedProvider;
import java.util.List;

/**
 * One reconcile's working set. {@code accessKey} is replaced by each status write so later steps
 * lock on the newest resourceVersion.
 */
final class KeyContext {
  AccessKey accessKey;
  final DesiredKey desired;
  final ResolvedProvider provider;
  final KeyBackend backend;
  /** The user that holds the keys, for status: spec.user or the provider's own identity. */
  final String ownerName;
  /** The key's inline policy (spec.policy or the ConfigMap policyRef names), for backends with per-key settings. */
  final String policy;
  /** The consumers' rollout as last observed in this reconcile (status.rollout.workloads, refreshed). */
  List<WorkloadRollout> rolloutProgress = List.of();

  KeyContext(AccessKey accessKey, DesiredKey desired, ResolvedProvider provider, KeyBackend backend, String ownerName,
      String policy) {
    this.policy = policy;
    this.accessKey = accessKey;
    this.desired = desired;
    this.provider = provider;
    this.backend = backend;
    this.ownerName = ownerName;
  }

  /** Creates and recoveries for one backend user are serialized under this key. */
  String lockKey() {
    return provider.id() + "|" + (desired.user() == null ? "" : desired.user());
  }

  /** The digest of the settings the spec wants applied in place (name, description, policy). */
  String settingsDigest() {
    return SettingsDigest.of(accessKey.getSpec().name, accessKey.getSpec().description, policy);
  }
}
