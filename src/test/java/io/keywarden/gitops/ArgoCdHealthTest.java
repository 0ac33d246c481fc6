package io.keywarden.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** gitops/argocd/health.lua's verdict for each Ready reason, as gitops/README.md lists them. */
class ArgoCdHealthTest {

  @ParameterizedTest(name = "Ready={0} {1}, Rotating={2}, generation {3}/{4}: {5}")
  @CsvSource({
      "True,  CredentialsValid,   False, 1, 1, Healthy",
      "True,  KeyActive,          True,  1, 1, Progressing",
      "True,  KeyActive,          False, 2, 1, Progressing",
      "False, Throttled,          False, 1, 1, Progressing",
      "False, BackendUnavailable, False, 1, 1, Progressing",
      "False, KubernetesApiError, False, 1, 1, Progressing",
      "False, LimitExceeded,      False, 1, 1, Progressing",
      "False, KeyNotUsable,       False, 1, 1, Progressing",
      "False, InvalidSpec,        False, 1, 1, Degraded",
      "False, ProviderNotFound,   False, 1, 1, Degraded",
      "False, AuthenticationFailed, False, 1, 1, Degraded",
      "False, SecretConflict,     False, 1, 1, Degraded",
      "False, Expired,            False, 1, 1, Degraded",
      "False, InternalError,      False, 1, 1, Degraded"})
  void verdict(String ready, String reason, String rotating, int generation, int observed, String expected) {
    String object = """
        {"metadata": {"name": "k", "generation": %d},
         "status": {"observedGeneration": %d, "conditions": [
           {"type": "Ready", "status": "%s", "reason": "%s", "message": "m"},
           {"type": "Rotating", "status": "%s", "reason": "GracePeriod", "message": "m"}]}}
        """.formatted(generation, observed, ready, reason, rotating);
    assertThat(ArgoLua.run("health.lua", object).get("status").asText()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no status        | {\"metadata\": {\"generation\": 1}}",
      "no Ready         | {\"metadata\": {\"generation\": 1}, \"status\": {\"observedGeneration\": 1, \"conditions\": []}}"})
  void withoutAVerdictItIsProgressing(String what, String object) {
    assertThat(ArgoLua.run("health.lua", object).get("status").asText()).isEqualTo("Progressing");
  }
}
