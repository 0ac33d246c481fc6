package io.keywarden.bench;

/** Monotonic time for measurements (System.nanoTime), in the units the table prints. */
final class Clock {
  private Clock() {}

  static long now() {
    return System.nanoTime();
  }

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
