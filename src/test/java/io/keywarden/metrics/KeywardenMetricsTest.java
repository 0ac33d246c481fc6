package io.keywarden.metrics;

import io.keywarden.testsupport.StoppedClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.api.v1alpha1.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The gauges the alerts read, on a clock that only moves when told to. */
class KeywardenMetricsTest {
  final StoppedClock clock = new StoppedClock(Instant.parse("2026-06-01T12:00:00Z"));
  final KeywardenMetrics metrics = new KeywardenMetrics(clock);

  double value(String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics.scrape());
    assertThat(m.find()).as("%s in\n%s", series, metrics.scrape()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aFixedExpiryIsAnUnrenewedExpiryAndARenewalAheadIsNot() {
    Instant now = clock.instant();
    metrics.keyPublished("ns/renewed", KeyState.Active, now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(1)));
    assertThat(value("keywarden_seconds_until_next_unrenewed_expiry")).isNaN();
    assertThat(value("keywarden_seconds_until_next_expiry")).isEqualTo(Duration.ofDays(2).toSeconds());

    metrics.keyPublished("ns/fixed", KeyState.Active, now.plus(Duration.ofDays(5)), null);
    assertThat(value("keywarden_seconds_until_next_unrenewed_expiry")).isEqualTo(Duration.ofDays(5).toSeconds());
  }

  @Test
  void aRenewalThatIsDueAndNotDoneIsOverdueAndItsExpiryUnrenewed() {
    Instant now = clock.instant();
    metrics.keyPublished("ns/k", KeyState.Active, now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(1)));
    assertThat(value("keywarden_renewals_overdue")).isZero();

    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(value("keywarden_renewals_overdue")).isEqualTo(1);
    assertThat(value("keywarden_seconds_until_next_unrenewed_expiry"))
        .isEqualTo(Duration.ofDays(2).minusMinutes(1).toSeconds());

    // rotated: the new key's renewal is ahead again
    metrics.keyPublished("ns/k", KeyState.Active, clock.instant().plus(Duration.ofDays(3)),
        clock.instant().plus(Duration.ofDays(1)));
    assertThat(value("keywarden_renewals_overdue")).isZero();
  }

  /** A key relabelled to another shard is no longer this instance's: its view must not turn overdue here. */
  @Test
  void keysThatMovedToAnotherShardAreForgotten() {
    Instant now = clock.instant();
    metrics.keyPublished("ns/moved", KeyState.Active, now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(1)));
    metrics.keyPublished("ns/kept", KeyState.Active, now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(2)));
    metrics.keyFailing("ns/moved", "Throttled");

    metrics.retainServed(name -> name.equals("ns/kept"));
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(value("keywarden_renewals_overdue")).isZero();
    assertThat(value("keywarden_access_keys{state=\"Active\"}")).isEqualTo(1);
    assertThat(value("keywarden_access_keys_failing{reason=\"Throttled\"}")).isZero();
  }

  @Test
  void failingKeysAreCountedByReasonUntilTheyRecoverOrGo() {
    metrics.keyFailing("ns/a", "AuthenticationFailed");
    metrics.keyFailing("ns/b", "AuthenticationFailed");
    metrics.keyFailing("ns/c", "Throttled");
    assertThat(value("keywarden_access_keys_failing{reason=\"AuthenticationFailed\"}")).isEqualTo(2);
    assertThat(value("keywarden_access_keys_failing{reason=\"Throttled\"}")).isEqualTo(1);

    metrics.keyPublished("ns/a", KeyState.Active, null, null);
    metrics.keyGone("ns/c");
    assertThat(value("keywarden_access_keys_failing{reason=\"AuthenticationFailed\"}")).isEqualTo(1);
    assertThat(value("keywarden_access_keys_failing{reason=\"Throttled\"}")).isZero();

    metrics.keyFailing("ns/b", "Throttled");
    assertThat(value("keywarden_access_keys_failing{reason=\"AuthenticationFailed\"}")).isZero();
    assertThat(value("keywarden_access_keys_failing{reason=\"Throttled\"}")).isEqualTo(1);
  }
}
