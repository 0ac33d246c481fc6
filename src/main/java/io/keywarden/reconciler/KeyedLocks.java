package io.keywarden.reconciler;

import io.keywarden.shard.UserLeases;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per (provider, user): creates and crash recovery for the same user run one at a time,
 * so a recovery never mistakes a sibling's in-flight key for an orphan. In this process a
 * {@link ReentrantLock} per pair (the map holds one small lock per pair ever seen, far below the
 * number of AccessKeys); across processes (shards) the pair's {@link UserLeases} lease, taken
 * by the outermost holder only.
 */
public final class KeyedLocks {
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final UserLeases leases;

  public KeyedLocks(UserLeases leases) {
    this.leases = leases;
  }

  /** @throws io.keywarden.shard.LeaseBusy when another instance holds the pair: nothing of the work ran */
  public <T> T withLock(String key, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) {
        return work.get();
      }
      try (UserLeases.Held lease = leases.acquire(key)) {
        return work.get();
      }
    } finally {
      lock.unlock();
    }
  }
}
