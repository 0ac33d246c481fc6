package io.keywarden.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/** How the controller tests wait for the operator. */
public final class Awaits {
  private Awaits() {}

  /**
   * Looks at once, then every 20 ms, for up to 30 s: awaitility otherwise waits a whole poll
   * interval before its first look, which adds up over the hundreds of waits of the controller tests.
   */
  public static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
  }
}
