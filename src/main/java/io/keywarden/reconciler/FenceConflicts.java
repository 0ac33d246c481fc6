package io.keywarden.reconciler;

import io.keywarden.expiry.Backoff;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to retry after a {@link FenceConflict}, per AccessKey uid. One conflict is ordinary (the
 * cached copy was a write behind) and is retried after {@link #FIRST_RETRY}; conflicts in a row
 * mean something keeps changing the AccessKey, so the retries back off like other failures instead
 * of hot-looping. A reconcile that gets past the fence forgets the count.
 */
final class FenceConflicts {
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final Duration max;
  private final Map<String, Integer> inARow = new ConcurrentHashMap<>();

  /** @param max the longest wait, as for other failures ({@code Settings.backoffMax}) */
  FenceConflicts(Duration max) {
    this.max = max.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : max;
  }

  /** Counts one more conflict for {@code uid} and returns how long to wait before retrying. */
  Duration conflicted(String uid) {
    int n = inARow.merge(uid, 1, (a, b) -> a == Integer.MAX_VALUE ? a : a + b);
    return Backoff.delayAfterFailures(n, FIRST_RETRY, max);
  }

  /** The reconcile of {@code uid} ended without a conflict, or the AccessKey is gone. */
  void clear(String uid) {
    inARow.remove(uid);
  }
}
