package io.keywarden.reconciler;

/** Points in a key's lifecycle where a crash leaves a distinct state behind. */
public enum LifecycleStep {
  FENCE_WRITTEN,
  KEY_CREATED,
  KEY_VERIFIED,
  SECRET_WRITTEN,
  KEY_RECORDED,
  PREVIOUS_DEACTIVATED,
  PREVIOUS_DELETED
}
