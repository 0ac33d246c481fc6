package io.keywarden.reconciler;

/** Points in a key's lifecycle where a crash leaves a distinct state behind. */
public enum LifecycleStep {
  FENCE_WRITTEN,
  KEY_CREATED,
  /** The created key waits for a later reconcile (its verification or Secret write); the fence names it. */
  KEY_HELD,
  KEY_VERIFIED,
  SECRET_WRITTEN,
  KEY_RECORDED,
  /** Every consumer's pod template carries the published revision; status does not say so yet. */
  CONSUMERS_RESTARTED,
  PREVIOUS_DEACTIVATED,
  PREVIOUS_DELETED
}
