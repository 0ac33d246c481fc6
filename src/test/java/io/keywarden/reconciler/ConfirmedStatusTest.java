package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyStatus;
import io.keywarden.testsupport.Fixtures;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The status a drift check takes for a key whose listing does not tell it (MinIO's bulk listing):
 * only what the key's last check confirmed, else none, and then the user's own listing answers.
 */
class ConfirmedStatusTest {

  @ParameterizedTest(name = "Ready={0}, observed generation {1} of 3, previous key {2}, spec {3} -> {4}")
  @CsvSource(nullValues = "none", value = {
    "true,  3, false, Active,   ACTIVE",
    "true,  3, false, Inactive, INACTIVE",
    // a spec not yet applied: the listing must not confirm the state it asks for
    "true,  2, false, Inactive, none",
    "true,  2, false, Active,   none",
    "false, 3, false, Active,   none",
    // a previous key's status is what retirement acts on
    "true,  3, true,  Active,   none",
  })
  void onlyAStatusTheLastCheckConfirmed(boolean ready, long observedGeneration, boolean previous, KeyState spec,
      KeyStatus expected) {
    AccessKey ak = Fixtures.accessKey("ns", "app", "minio", "alice");
    ak.getMetadata().setGeneration(3L);
    AccessKeyStatus status = new AccessKeyStatus();
    status.accessKeyId = "CURRENTKEY";
    status.previousAccessKeyId = previous ? "PREVIOUSKEY" : null;
    status.observedGeneration = observedGeneration;
    Conditions.set(status.conditions, Conditions.READY, ready, "Reason", "message", observedGeneration,
        Instant.parse("2026-12-02T14:00:00Z"));
    ak.setStatus(status);

    assertThat(KeyObserver.confirmedStatus(ak, spec)).isEqualTo(expected);
  }
}
