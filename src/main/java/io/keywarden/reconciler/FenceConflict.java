package io.keywarden.reconciler;

/**
 * The create fence could not be written because the AccessKey changed since it was read (HTTP
 * 409). The cached copy may be stale, so the backend is not called; the reconcile starts over.
 */
public class FenceConflict extends RuntimeException {
  public FenceConflict(String message) {
    super(message);
  }
}
