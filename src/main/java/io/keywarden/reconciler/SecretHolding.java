package io.keywarden.reconciler;

/** What the AccessKey's Secret holds, as seen before deciding the next step. */
public enum SecretHolding {
  /** No Secret of that name. */
  MISSING,
  /** A Secret of that name that keywarden does not own: never overwritten. */
  FOREIGN,
  /** Owned, holding the current key. */
  CURRENT_KEY,
  /** Owned, but holding another key or no usable key (edited, or a lost write). */
  OTHER_KEY
}
