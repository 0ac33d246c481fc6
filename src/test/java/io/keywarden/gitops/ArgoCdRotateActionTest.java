package io.keywarden.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.AccessKey;
import org.junit.jupiter.api.Test;

/** gitops/argocd/actions: the "rotate" resource action sets a keywarden.io/rotate value not served yet. */
class ArgoCdRotateActionTest {
  static final String KEY = """
      {"apiVersion": "keywarden.io/v1alpha1", "kind": "AccessKey",
       "metadata": {"name": "billing", "namespace": "team-a", "annotations": {"team": "billing"}},
       "spec": {"provider": {"name": "aws"}, "user": "bob", "expiryDuration": "30d"},
       "status": {"accessKeyId": "AKIA1", "rotationRequest": "old"}}
      """;

  @Test
  void discoveryOffersRotate() {
    JsonNode actions = ArgoLua.run("actions/discovery.lua", KEY);
    assertThat(actions.has("rotate")).isTrue();
    assertThat(actions.get("rotate").get("disabled").asBoolean()).isFalse();
  }

  @Test
  void rotateIsDisabledWhileTheAccessKeyIsBeingDeleted() {
    String deleting = KEY.replace("\"name\": \"billing\",", "\"name\": \"billing\", \"deletionTimestamp\": \"2026-01-01T00:00:00Z\",");
    assertThat(ArgoLua.run("actions/discovery.lua", deleting).get("rotate").get("disabled").asBoolean()).isTrue();
  }

  @Test
  void rotateSetsANewRequestAndKeepsTheRest() {
    AccessKey before = Serialization.unmarshal(KEY, AccessKey.class);
    AccessKey after = Serialization.unmarshal(ArgoLua.run("actions/rotate.lua", KEY).toString(), AccessKey.class);
    String request = after.getMetadata().getAnnotations().get(AccessKey.ROTATE_ANNOTATION);
    assertThat(request).isNotBlank().isNotEqualTo(before.getStatus().rotationRequest);
    assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "billing");
    assertThat(Serialization.asJson(after.getSpec())).isEqualTo(Serialization.asJson(before.getSpec()));
  }

  @Test
  void rotateWorksOnAnAccessKeyWithoutAnnotations() {
    String bare = KEY.replace(", \"annotations\": {\"team\": \"billing\"}", "");
    JsonNode after = ArgoLua.run("actions/rotate.lua", bare);
    assertThat(after.get("metadata").get("annotations").get(AccessKey.ROTATE_ANNOTATION).asText()).isNotBlank();
  }

  @Test
  void twoRotationsInARowAreTwoRequests() {
    JsonNode once = ArgoLua.run("actions/rotate.lua", KEY);
    JsonNode twice = ArgoLua.run("actions/rotate.lua", once.toString());
    assertThat(twice.get("metadata").get("annotations").get(AccessKey.ROTATE_ANNOTATION).asText())
        .isNotEqualTo(once.get("metadata").get("annotations").get(AccessKey.ROTATE_ANNOTATION).asText());
  }
}
