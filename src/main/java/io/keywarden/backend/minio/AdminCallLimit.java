package io.keywarden.backend.minio;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many MinIO admin calls may run at once, and the Argon2id memory they work in. Each call
 * derives its keys over 64 MiB, so the operator shares one limit among all its MinIO backends: the
 * heap those calls need stays bounded however many providers and AccessKeys arrive together.
 *
 * <p>The 64 MiB buffers are kept: a call takes one that an earlier call left, or makes one if none
 * is free, and leaves it when it ends. A call holds a permit while it holds a buffer, so there are
 * never more buffers than permits, and after the first calls no derivation allocates.
 */
public final class AdminCallLimit {
  private static AdminCallLimit shared;

  private final int permits;
  private final Semaphore semaphore;
  private final Queue<long[]> freeMemory = new ConcurrentLinkedQueue<>();

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
   * How many MinIO admin calls may run at once: KEYWARDEN_MINIO_ADMIN_CALLS, else (unset, empty or
   * 0, the chart's default) what the heap holds, (heap - 240 MiB) / 96 MiB, 1 to {@value
   * MinioBackendConfig#DEFAULT_MAX_CONCURRENT_ADMIN_CALLS}.
   *
   * <p>Each call keeps a 64 MiB Argon2id buffer for good (and allocates little else), so the
   * buffers end up in the old generation beside the operator's own live data, which was 145 MiB
   * with 10,000 keys. The old generation is two thirds of the heap with the serial collector, which
   * the JVM picks in a container limited to one CPU (the chart's): 2/3 heap >= 160 MiB + 64 MiB per
   * call, hence the rule. The chart's 460 MiB heap gets 2 calls: on its one CPU one call derives
   * while MinIO works on the other's; a third buffer would leave the operator's data too little room.
   */
  public static int forHeap(Map<String, String> env, long maxHeapBytes) {
    String configured = env.getOrDefault("KEYWARDEN_MINIO_ADMIN_CALLS", "").trim();
    if (!configured.isEmpty() && !configured.equals("0")) {
      return positiveCount(configured);
    }
    long base = 240L * 1024 * 1024;
    long perCall = 96L * 1024 * 1024;
    return (int) Math.max(1, Math.min(MinioBackendConfig.DEFAULT_MAX_CONCURRENT_ADMIN_CALLS, (maxHeapBytes - base) / perCall));
  }

  private static int positiveCount(String configured) {
    try {
      int calls = Integer.parseInt(configured);
      if (calls > 0) {
        return calls;
      }
    } catch (NumberFormatException e) {
      // refused below, with what is allowed
    }
    throw new IllegalArgumentException("KEYWARDEN_MINIO_ADMIN_CALLS must be a positive number, or 0 or empty"
        + " for what the heap holds; got '" + configured + "'");
  }

  public int permits() {
    return permits;
  }

  /** A call that may start, or null when all permits stayed taken for the whole timeout. */
  Call tryAcquire(Duration timeout) throws InterruptedException {
    return semaphore.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS) ? new Call() : null;
  }

  /** One running admin call: a permit, and the Argon2id memory once the call needs it. */
  final class Call implements AutoCloseable {
    private long[] memory;

    /** Memory for {@link Argon2id#MADMIN}: a free buffer, or a new one. Zeroed between derivations. */
    long[] argon2Memory() {
      if (memory == null) {
        memory = freeMemory.poll();
      }
      if (memory == null) {
        memory = new long[Argon2id.MADMIN.memoryWords()];
      }
      return memory;
    }

    /** Leaves the memory for the next call, then the permit. */
    @Override
    public void close() {
      if (memory != null) {
        freeMemory.add(memory);
        memory = null;
      }
      semaphore.release();
    }
  }

  @Override
  public String toString() {
    return permits + " at once";
  }
}
