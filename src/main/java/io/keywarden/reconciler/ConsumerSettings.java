package io.keywarden.reconciler;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.RolloutStatus;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.expiry.ExpiryParser;
import io.keywarden.rollout.WorkloadRef;
import java.time.Duration;
import java.util.List;

/** spec.rotation's consumer settings, with their defaults applied in code. */
final class ConsumerSettings {
  private ConsumerSettings() {}

  static boolean hasConsumers(AccessKeySpec spec) {
    return spec.rotation != null && spec.rotation.hasConsumers();
  }

  static Duration rolloutTimeout(AccessKeySpec spec) {
    String text = spec.rotation != null && spec.rotation.rolloutTimeout != null
        ? spec.rotation.rolloutTimeout : Rotation.DEFAULT_ROLLOUT_TIMEOUT;
    try {
      return ExpiryParser.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid("spec.rotation.rolloutTimeout", e.getMessage());
    }
  }

  /** The workloads a recorded rollout waits for. */
  static List<WorkloadRef> refs(AccessKey accessKey, RolloutStatus rollout) {
    String namespace = accessKey.getMetadata().getNamespace();
    return rollout.workloads.stream().map(w -> new WorkloadRef(namespace, w.kind, w.name)).toList();
  }
}
