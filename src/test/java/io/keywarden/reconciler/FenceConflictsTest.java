package io.keywarden.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FenceConflictsTest {

  @Test
  void conflictsInARowBackOffFromOneSecondToTheCap() {
    FenceConflicts conflicts = new FenceConflicts(Duration.ofSeconds(10));
    List<Duration> expected = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), conflicts.conflicted("uid-a"), "conflict " + (i + 1));
    }
  }

  @Test
  void eachAccessKeyCountsItsOwnConflicts() {
    FenceConflicts conflicts = new FenceConflicts(Duration.ofMinutes(5));
    conflicts.conflicted("uid-a");
    conflicts.conflicted("uid-a");
    assertEquals(Duration.ofSeconds(1), conflicts.conflicted("uid-b"));
    assertEquals(Duration.ofSeconds(4), conflicts.conflicted("uid-a"));
  }

  @Test
  void aReconcilePastTheFenceStartsTheCountAgain() {
    FenceConflicts conflicts = new FenceConflicts(Duration.ofMinutes(5));
    conflicts.conflicted("uid-a");
    conflicts.conflicted("uid-a");
    conflicts.clear("uid-a");
    assertEquals(Duration.ofSeconds(1), conflicts.conflicted("uid-a"));
  }

  @Test
  void aCapBelowTheFirstRetryKeepsTheFirstRetry() {
    FenceConflicts conflicts = new FenceConflicts(Duration.ofMillis(100));
    assertEquals(Duration.ofSeconds(1), conflicts.conflicted("uid-a"));
    assertEquals(Duration.ofSeconds(1), conflicts.conflicted("uid-a"));
  }
}
