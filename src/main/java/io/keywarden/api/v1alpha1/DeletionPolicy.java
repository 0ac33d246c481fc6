package io.keywarden.api.v1alpha1;

public enum DeletionPolicy {
  /** Delete the backend keys; the Secret goes with its owner reference. */
  Delete,
  /** Keep the backend key and the Secret (its owner reference is removed). */
  Retain
}
