package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.backend.KeyInfo;
import java.util.HashMap;
import java.util.Map;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import io.keywarden.backend.KeyBackend;
import io.keywarden.budget.StepAdmission;
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
  /**
   * Whether this reconcile is the key's drift check, which may take its scope's shared answer for
   * this window; any step it would lead to asks the backend afresh first.
   */
  boolean sharedAnswer;
  /** Keys this reconcile learned from its own calls (a create's answer, the key it replaced): no need to ask. */
  final Map<String, KeyInfo> known = new HashMap<>();
  /**
   * Asked before each backend call; throws {@link io.keywarden.budget.OverBudget} when the step has
   * not been admitted and the provider's budget is spent.
   */
  final StepAdmission admission;
  /**
   * The key's Secret from the informer cache, or null. A drift check that only confirms observes
   * it instead of reading the Secret: at rest, a check asks the API server nothing.
   */
  Secret cached;
  /**
   * The Secret as this reconcile's own write left it (the API server's answer): the next
   * observation takes it instead of reading the Secret again moments later.
   */
  Secret written;
  /** The consumers' rollout as last observed in this reconcile (status.rollout.workloads, refreshed). */
  List<WorkloadRollout> rolloutProgress = List.of();

  KeyContext(AccessKey accessKey, DesiredKey desired, ResolvedProvider provider, KeyBackend backend, String ownerName,
      String policy, StepAdmission admission) {
    this.policy = policy;
    this.admission = admission;
    this.accessKey = accessKey;
    this.desired = desired;
    this.provider = provider;
    this.backend = backend;
    this.ownerName = ownerName;
  }

  /** Creates and recoveries for one backend user are serialized under this key. */
  String lockKey() {
    return scope(provider.id(), desired.user());
  }

  /** A (provider, user) pair: what shares one backend answer per drift window, and one lock. */
  static String scope(String providerId, String user) {
    return providerId + "|" + (user == null ? "" : user);
  }

  /** The digest of the settings the spec wants applied in place (name, description, policy). */
  String settingsDigest() {
    return SettingsDigest.of(accessKey.getSpec().name, accessKey.getSpec().description, policy);
  }
}
