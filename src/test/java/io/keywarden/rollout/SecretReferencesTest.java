package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which pod templates read the Secret "billing" (consumer discovery). */
class SecretReferencesTest {
  static Stream<Arguments> podSpecs() {
    return Stream.of(
        Arguments.of("envFrom", "containers: [{name: app, envFrom: [{secretRef: {name: billing}}]}]", true),
        Arguments.of("envFrom of another Secret", "containers: [{name: app, envFrom: [{secretRef: {name: billing-ro}}]}]", false),
        Arguments.of("envFrom of a ConfigMap with the same name", "containers: [{name: app, envFrom: [{configMapRef: {name: billing}}]}]", false),
        Arguments.of("one env entry", "containers: [{name: app, env: [{name: KEY, valueFrom: {secretKeyRef: {name: billing, key: AWS_ACCESS_KEY_ID}}}]}]", true),
        Arguments.of("env from a ConfigMap key", "containers: [{name: app, env: [{name: KEY, valueFrom: {configMapKeyRef: {name: billing, key: k}}}]}]", false),
        Arguments.of("plain env value", "containers: [{name: app, env: [{name: KEY, value: billing}]}]", false),
        Arguments.of("a second container", "containers: [{name: a}, {name: b, envFrom: [{secretRef: {name: billing}}]}]", true),
        Arguments.of("an init container", "initContainers: [{name: init, envFrom: [{secretRef: {name: billing}}]}]\ncontainers: [{name: app}]", true),
        Arguments.of("a Secret volume", "containers: [{name: app}]\nvolumes: [{name: keys, secret: {secretName: billing}}]", true),
        Arguments.of("a projected volume", "containers: [{name: app}]\nvolumes: [{name: keys, projected: {sources: [{configMap: {name: x}}, {secret: {name: billing}}]}}]", true),
        Arguments.of("a projected volume of other sources", "containers: [{name: app}]\nvolumes: [{name: keys, projected: {sources: [{serviceAccountToken: {path: t}}]}}]", false),
        Arguments.of("nothing", "containers: [{name: app}]", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podSpecs")
  void findsReferences(String name, String podSpecYaml, boolean expected) {
    PodSpec spec = Serialization.unmarshal(podSpecYaml, PodSpec.class);
    assertThat(SecretReferences.references(spec, "billing")).isEqualTo(expected);
  }
}
