package io.keywarden.backend.minio;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many MinIO admin calls may run at once. Each one derives an Argon2id key over 64 MiB, so
 * the operator shares one limit among all its MinIO backends: the heap those calls need stays
 * bounded however many providers and AccessKeys arrive together.
 */
public final class AdminCallLimit {
  private final int permits;
  private final Semaphore semaphore;

  public AdminCallLimit(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("maxConcurrentAdminCalls must be at least 1, got " + permits);
    }
    this.permits = permits;
    this.semaphore = new Semaphore(permits, true);
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
