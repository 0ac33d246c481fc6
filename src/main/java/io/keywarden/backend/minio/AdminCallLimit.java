package io.keywarden.backend.minio;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many MinIO admin calls may run at once. Each one derives an Argon2id key over 64 MiB, so
 * the operator shares one limit among all its MinIO backends: the heap those calls need stays
 * bounded however many providers and AccessKeys arrive together.
 */
public final class AdminCallLimit {
  private static AdminCallLimit shared;

  private final int permits;
  private final Semaphore semaphore;

  public AdminCallLimit(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("maxConcurrentAdminCalls must be at least 1, got " + permits);
    }
    this.permits = permits;
    this.semaphore = new Semaphore(permits, true);
  }

  /** One limit for every MinIO backend of the process: the heap is the process's, not a provider's. */
  static synchronized AdminCallLimit shared() {
    if (shared == null) {
      shared = new AdminCallLimit(forHeap(System.getenv(), Runtime.getRuntime().maxMemory()));
    }
    return shared;
  }

  /**
   * How many MinIO admin calls may run at once: KEYWARDEN_MINIO_ADMIN_CALLS, else what the heap
   * holds. Each call derives an Argon2id key over 64 MiB (about 70 MB of small Java objects), and
   * the collector needs about as much free again to move them, so a call is given 160 MiB beyond
   * 100 MiB for the rest of the operator; with less, two calls at once are slower than one, as
   * the collector spends the time instead.
   */
  public static int forHeap(Map<String, String> env, long maxHeapBytes) {
    String configured = env.get("KEYWARDEN_MINIO_ADMIN_CALLS");
    if (configured != null) {
      return Integer.parseInt(configured);
    }
    long base = 100L * 1024 * 1024;
    long perCall = 160L * 1024 * 1024;
    return (int) Math.max(1, Math.min(MinioBackendConfig.DEFAULT_MAX_CONCURRENT_ADMIN_CALLS, (maxHeapBytes - base) / perCall));
  }

  public int permits() {
    return permits;
  }

  boolean tryAcquire(Duration timeout) throws InterruptedException {
    return semaphore.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void release() {
    semaphore.release();
  }

  @Override
  public String toString() {
    return permits + " at once";
  }
}
