package io.keywarden.reconciler;

/**
 * Creates a key under the create fence and publishes it. When the observation holds a current
 * key, the new key replaces it in stages: it must work first, and the replaced key stays active
 * as the previous key for the grace period. Two implementations, chosen by the backend's
 * capability: server-generated credentials and client-chosen ones.
 */
interface KeyIssuer {
  void issue(KeyContext ctx, KeyObservation o, Announcement announcement);

  /** The event that reports the issued key: a reason and a message format taking its id. */
  record Announcement(String reason, String messageFormat) {}
}
