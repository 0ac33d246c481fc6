package io.keywarden.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyBackend;
import io.keywarden.testsupport.StoppedClock;
import io.keywarden.testsupport.memory.MinioLikeBackend;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeteredBackendTest {
  static final String PROVIDER = "AccessKeyProvider/ns/minio";

  final StoppedClock clock = new StoppedClock(Instant.parse("2026-06-01T12:00:00Z"));
  final KeywardenMetrics metrics = new KeywardenMetrics(clock);
  final KeyBackend backend = metrics.metered(PROVIDER, new MinioLikeBackend(clock));

  @Test
  void localChecksAreNotCountedAsBackendCalls() {
    ((ChosenCredentials) backend).generate();
    ((ChosenCredentials) backend).accessKeyProblem("AKIDEXAMPLE");
    ((InPlaceSettings) backend).policyProblem("{}");
    backend.list("alice");

    assertThat(metrics.scrape())
        .contains("operation=\"list\"")
        .doesNotContain("operation=\"generate\"")
        .doesNotContain("operation=\"accessKeyProblem\"")
        .doesNotContain("operation=\"policyProblem\"");
  }
}
