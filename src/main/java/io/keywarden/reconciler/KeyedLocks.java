package io.keywarden.reconciler;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per (provider, user): creates and crash recovery for the same user run one at a time,
 * so a recovery never mistakes a sibling's in-flight key for an orphan. The map holds one small
 * lock per pair ever seen, which stays far below the number of AccessKeys.
 */
public final class KeyedLocks {
  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public <T> T withLock(String key, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
