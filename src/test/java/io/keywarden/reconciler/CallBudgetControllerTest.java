package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.memory.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A provider whose call budget has no burst: every call waits for the one before it to be paid
 * back, which is where the budget is after a burst of work, or after a throttling answer emptied it.
 * A reconcile refused there comes back at its turn, when one call's worth has come back. The lookup
 * that observes the key and the step that follows go under one admission, so that turn carries the
 * step out; a refused reconcile spends nothing.
 */
@EnableKubernetesMockClient(crud = true)
class CallBudgetControllerTest {
  static KubernetesClient client;

  /** Five calls per second, none ahead: a call every 200 ms. */
  static final Map<String, BudgetLimit> NO_BURST = Map.of(
      "aws", new BudgetLimit("aws", 5, 1),
      "minio", new BudgetLimit("minio", 5, 1),
      "outscale", new BudgetLimit("outscale", 5, 1));
  static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::reports/*\"]}]}";

  KeywardenOperator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  /** On MinIO the key carries a policy, which the backend client checks before every reconcile's first call. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Profile.class)
  void aRotationProceedsOnABudgetWithoutBurst(Profile profile) {
    ProfileRun run = new ProfileRun(profile, client);
    operator = run.start(client, NO_BURST);
    AccessKey app = run.accessKey("app");
    if (profile == Profile.MINIO_LIKE) {
      app.getSpec().policy = POLICY;
    }
    client.resource(app).create();
    String first = run.awaitReady("app").getStatus().accessKeyId;

    Edits.rotate(client, run.ns, "app", "1");
    AccessKey rotated = awaitRotated(run, "app", first);
    assertThat(run.publishesWorkingKey("app", rotated.getStatus().accessKeyId)).as("the new key is published").isTrue();
  }

  /** Neither key's refused attempts use up the calls the other needs. */
  @Test
  void twoKeysOfOneProviderBothRotateOnABudgetWithoutBurst() {
    ProfileRun run = new ProfileRun(Profile.OUTSCALE_LIKE, client);
    operator = run.start(client, NO_BURST);
    client.resource(run.accessKey("app")).create();
    client.resource(Fixtures.accessKey(run.ns, "other", ProfileRun.PROVIDER, "carol")).create();
    List<String> first = List.of(run.awaitReady("app").getStatus().accessKeyId,
        run.awaitReady("other").getStatus().accessKeyId);

    Edits.rotate(client, run.ns, "app", "1");
    Edits.rotate(client, run.ns, "other", "1");
    awaitRotated(run, "app", first.get(0));
    awaitRotated(run, "other", first.get(1));
  }

  private static AccessKey awaitRotated(ProfileRun run, String name, String first) {
    return run.awaitKey(name, ak -> "1".equals(ak.getStatus().rotationRequest) && ak.getStatus().pendingCreate == null
        && ak.getStatus().accessKeyId != null && !first.equals(ak.getStatus().accessKeyId)
        && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }
}
