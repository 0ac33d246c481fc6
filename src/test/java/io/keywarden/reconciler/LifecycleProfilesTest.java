package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.backend.KeyInfo;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.memory.MemoryKind;
import io.keywarden.testsupport.memory.Profile;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every lifecycle path for every backend capability profile, on the fabric8 mock server with
 * in-memory backends: create, rotation and retirement, expiry, renewal, drift repair, deletion.
 * Time moves on the operator's adjustable clock. The real peers run the same paths in the ITs.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LifecycleProfilesTest {
  static KubernetesClient client;

  ProfileRun run;
  KeywardenOperator operator;

  void start(Profile profile) {
    run = new ProfileRun(profile, client);
    operator = run.start(client, (step, ak) -> {});
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void createsOneWorkingKeyAndDeletesItWithTheAccessKey(Profile profile) {
    start(profile);
    client.resource(run.accessKey("app")).create();

    AccessKey ready = run.awaitReady("app");
    String id = ready.getStatus().accessKeyId;
    assertThat(run.publishesWorkingKey("app", id)).isTrue();
    assertThat(run.backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(id);
    assertThat(ready.getStatus().revision).isEqualTo(1L);
    assertThat(ProfileRun.value(run.secret("app"), MemoryKind.BACKEND_ENTRY))
        .as("the kind's own Secret entries").isEqualTo(profile == Profile.FOURTH_KIND ? "memory" : null);

    client.resource(ready).delete();
    run.awaitBackend(keys -> keys.isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void rotatesAndRetiresThePreviousKeyAfterItsGracePeriod(Profile profile) {
    start(profile);
    AccessKey accessKey = run.accessKey("app");
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    String first = run.awaitReady("app").getStatus().accessKeyId;

    Edits.rotate(client, run.ns, "app", "1");
    AccessKey rotated = run.awaitKey("app", ak -> first.equals(ak.getStatus().previousAccessKeyId));
    String second = rotated.getStatus().accessKeyId;
    assertThat(second).isNotEqualTo(first);
    assertThat(rotated.getStatus().revision).isEqualTo(2L);
    assertThat(run.publishesWorkingKey("app", second)).isTrue();
    assertThat(run.backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactlyInAnyOrder(first, second);

    run.clock.advance(Duration.ofMinutes(11));
    run.awaitKey("app", ak -> ak.getStatus().previousAccessKeyId == null);
    assertThat(run.backend.allKeys()).extracting(KeyInfo::accessKeyId).containsExactly(second);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void renewsTheKeyBeforeItsLifetimeEnds(Profile profile) {
    start(profile);
    AccessKey accessKey = run.accessKey("app");
    accessKey.getSpec().expiryDuration = "3h";
    accessKey.getSpec().renewBefore = "1h";
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    AccessKey first = run.awaitReady("app");

    run.clock.advance(Duration.ofHours(2).plusMinutes(1));
    AccessKey renewed = run.awaitKey("app", ak -> first.getStatus().accessKeyId.equals(ak.getStatus().previousAccessKeyId));
    assertThat(run.publishesWorkingKey("app", renewed.getStatus().accessKeyId)).isTrue();
    assertThat(renewed.getStatus().expiresAt).isNotEqualTo(first.getStatus().expiresAt);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void deletesTheKeyAndItsSecretAtItsExpiry(Profile profile) {
    start(profile);
    AccessKey accessKey = run.accessKey("app");
    accessKey.getSpec().expiry = run.clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS).toString();
    client.resource(accessKey).create();
    run.awaitReady("app");

    run.clock.advance(Duration.ofHours(2).plusMinutes(1));
    AccessKey expired = run.awaitKey("app", ak -> ProfileRun.reason(ak).equals("Expired"));
    assertThat(expired.getStatus().accessKeyId).isNull();
    run.awaitBackend(keys -> keys.isEmpty());
    assertThat(run.secret("app")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void repairsAKeyDeletedOutsideAndALostSecret(Profile profile) {
    start(profile);
    AccessKey accessKey = run.accessKey("app");
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    String first = run.awaitReady("app").getStatus().accessKeyId;

    run.backend.deleteOutside(first);
    String second = run.awaitKey("app", ak -> ak.getStatus().accessKeyId != null
        && !ak.getStatus().accessKeyId.equals(first) && ak.getStatus().pendingCreate == null).getStatus().accessKeyId;
    assertThat(run.publishesWorkingKey("app", second)).isTrue();

    client.resource(run.secret("app")).delete();
    String third = run.awaitKey("app", ak -> ak.getStatus().accessKeyId != null
        && !ak.getStatus().accessKeyId.equals(second) && ak.getStatus().pendingCreate == null).getStatus().accessKeyId;
    assertThat(run.publishesWorkingKey("app", third)).isTrue();
  }
}
