package io.keywarden.reconciler;

import static io.keywarden.testsupport.Awaits.soon;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.PolicyReach;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.memory.MemoryBackend;
import io.keywarden.testsupport.memory.Profile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PolicyNarrowed in the running operator (fabric8 mock API server): a MinIO-like backend that also
 * answers {@link PolicyReach} is asked with the published key, once per key and policy; its answer
 * becomes the condition and one warning event; a policy within the user turns it False, and no
 * policy removes it.
 */
@EnableKubernetesMockClient(crud = true)
class PolicyReachControllerTest {
  private static final String WIDE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"s3:GetObject\",\"s3:CreateBucket\"],\"Resource\":[\"arn:aws:s3:::*\"]}]}";
  private static final String NARROW = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::data/*\"]}]}";

  static KubernetesClient client;

  ProfileRun run;
  KeywardenOperator operator;
  /** Each question the backend was asked: the key, whether the secret was the key's own, the policy. */
  final List<String> asked = new ArrayList<>();

  @BeforeEach
  void start() {
    run = new ProfileRun(Profile.MINIO_LIKE, client);
    KeyBackend backend = withPolicyReach(run.backend);
    operator = KeywardenTestOperator.start(client, run.ns, run.profile.registry(run.backend), provider -> backend,
        (step, ak) -> {}, run.clock);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aPolicyBeyondTheUserIsToldOncePerKeyAndPolicy() {
    AccessKey accessKey = run.accessKey("wide");
    accessKey.getSpec().policy = WIDE;
    client.resource(accessKey).create();

    AccessKey told = run.awaitKey("wide", ak -> narrowed(ak).isPresent());
    String id = told.getStatus().accessKeyId;
    Condition narrowed = narrowed(told).orElseThrow();
    assertThat(narrowed.getStatus()).isEqualTo("True");
    assertThat(narrowed.getReason()).isEqualTo("PolicyBeyondUser");
    assertThat(narrowed.getMessage()).contains("spec.policy allows s3:CreateBucket on arn:aws:s3:::*", "user bob", id);
    assertThat(Conditions.isTrue(told.getStatus().conditions, Conditions.READY)).as("the key works within its user").isTrue();
    assertThat(asked).containsExactly(id + " with its own secret: " + WIDE);
    soon().untilAsserted(() -> assertThat(warnings()).extracting(Event::getMessage).containsExactly(narrowed.getMessage()));

    // a change that keeps key and policy: applied, not asked again
    Edits.patch(client, run.ns, "wide", "{\"spec\":{\"description\":\"billing\"}}");
    run.awaitKey("wide", ak -> ak.getMetadata().getGeneration().equals(ak.getStatus().observedGeneration)
        && settingsUpdated());
    assertThat(asked).hasSize(1);

    Edits.patch(client, run.ns, "wide", "{\"spec\":{\"policy\":" + quote(NARROW) + "}}");
    Condition within = narrowed(run.awaitKey("wide", ak -> narrowed(ak).filter(c -> "False".equals(c.getStatus())).isPresent()))
        .orElseThrow();
    assertThat(within.getReason()).isEqualTo("PolicyWithinUser");
    assertThat(asked).containsExactly(id + " with its own secret: " + WIDE, id + " with its own secret: " + NARROW);
    assertThat(warnings()).hasSize(1);

    Edits.patch(client, run.ns, "wide", "{\"spec\":{\"policy\":null}}");
    run.awaitKey("wide", ak -> narrowed(ak).isEmpty());
    assertThat(asked).hasSize(2);
  }

  /** The in-memory MinIO with PolicyReach: everything beyond the user is s3:CreateBucket, as a readonly user's. */
  private KeyBackend withPolicyReach(MemoryBackend memory) {
    Set<Class<?>> interfaces = new LinkedHashSet<>(List.of(memory.getClass().getInterfaces()));
    interfaces.add(KeyBackend.class);
    interfaces.add(PolicyReach.class);
    return (KeyBackend) Proxy.newProxyInstance(getClass().getClassLoader(), interfaces.toArray(Class<?>[]::new),
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == PolicyReach.class) {
            String id = (String) args[1];
            String policy = (String) args[3];
            boolean own = memory.accepts(id, ((SecretValue) args[2]).reveal());
            asked.add(id + (own ? " with its own secret: " : " with another secret: ") + policy);
            return policy.contains("s3:CreateBucket") ? List.of("s3:CreateBucket on arn:aws:s3:::*") : List.of();
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static Optional<Condition> narrowed(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, "PolicyNarrowed");
  }

  private List<Event> warnings() {
    return client.v1().events().inNamespace(run.ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && "PolicyBeyondUser".equals(e.getReason())).toList();
  }

  /** The description was applied in place (the only in-place settings change of the test before the policy's). */
  private boolean settingsUpdated() {
    return client.v1().events().inNamespace(run.ns).list().getItems().stream()
        .anyMatch(e -> "SettingsUpdated".equals(e.getReason()));
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
