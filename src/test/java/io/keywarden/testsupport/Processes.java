package io.keywarden.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends a peer process the way its own shutdown expects: SIGTERM, then SIGKILL after a grace period. */
public final class Processes {
  private Processes() {}

  public static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
