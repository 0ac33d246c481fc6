package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.budget.OverBudget;
import io.keywarden.budget.StepAdmission;
import io.keywarden.metrics.KeywardenMetrics;
import io.keywarden.provider.ResolvedProvider;
import io.keywarden.secret.SecretStore;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.StoppedClock;
import io.keywarden.testsupport.memory.TemporaryLikeBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Temporary credentials are issued only when the provider's call budget admits the step, like keys. */
@EnableKubernetesMockClient(crud = true)
class TemporaryCredentialsAdmissionTest {
  static KubernetesClient client;

  final StoppedClock clock = new StoppedClock(Instant.parse("2026-06-01T12:00:00Z"));
  final TemporaryLikeBackend backend = new TemporaryLikeBackend(clock);
  final List<String> calls = new ArrayList<>();

  @Test
  void aSpentBudgetRefusesTheIssueBeforeTheBackendIsCalled() {
    backend.beforeEachCall(calls::add);
    AccessKey accessKey = Fixtures.accessKey("ns", "sts", "sts", null);
    accessKey.getSpec().temporary = true;
    accessKey.setStatus(new AccessKeyStatus());
    ResolvedProvider provider = new ResolvedProvider("AccessKeyProvider/ns/sts", null, null, null, "1", null);
    StepAdmission spent = new StepAdmission(() -> {
      throw new OverBudget(provider.id(), Duration.ofSeconds(3));
    });
    KeyContext ctx = new KeyContext(accessKey, DesiredKey.from(accessKey.getSpec()), provider, backend, null, null, spent);
    TemporaryCredentialsLifecycle lifecycle = new TemporaryCredentialsLifecycle(new StatusRecorder(client),
        new SecretStore(client), new EventRecorder(client, clock), (step, ak) -> {}, new KeywardenMetrics(clock), clock);

    assertThatThrownBy(() -> lifecycle.converge(ctx)).isInstanceOf(OverBudget.class);
    assertThat(calls).isEmpty();
  }
}
