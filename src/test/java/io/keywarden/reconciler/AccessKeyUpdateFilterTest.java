package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which updates of an AccessKey reach the reconciler: the ones that ask for work, never keywarden's own status writes. */
class AccessKeyUpdateFilterTest {

  static List<Arguments> updates() {
    return List.of(
        Arguments.of("status only", (UnaryOperator<AccessKey>) ak -> {
          ak.setStatus(new AccessKeyStatus());
          ak.getStatus().revision = 7L;
          return ak;
        }, false),
        Arguments.of("an unrelated annotation", annotated("example.com/note", "x"), false),
        Arguments.of("a label", (UnaryOperator<AccessKey>) ak -> {
          ak.getMetadata().setLabels(Map.of("team", "a"));
          return ak;
        }, false),
        Arguments.of("spec change (generation)", (UnaryOperator<AccessKey>) ak -> {
          ak.getMetadata().setGeneration(2L);
          return ak;
        }, true),
        Arguments.of("rotate request", annotated(AccessKey.ROTATE_ANNOTATION, "now"), true),
        Arguments.of("revoke request", annotated(AccessKey.REVOKE_ANNOTATION, "leak"), true),
        Arguments.of("deletion", (UnaryOperator<AccessKey>) ak -> {
          ak.getMetadata().setDeletionTimestamp("2026-12-02T10:00:00Z");
          return ak;
        }, true),
        Arguments.of("finalizer removed", (UnaryOperator<AccessKey>) ak -> {
          ak.getMetadata().setFinalizers(List.of());
          return ak;
        }, true));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("updates")
  void acceptsOnlyUpdatesThatAskForWork(String what, UnaryOperator<AccessKey> change, boolean accepted) {
    assertThat(new AccessKeyUpdateFilter().accept(change.apply(accessKey()), accessKey())).isEqualTo(accepted);
  }

  private static UnaryOperator<AccessKey> annotated(String name, String value) {
    return ak -> {
      ak.getMetadata().setAnnotations(Map.of(name, value));
      return ak;
    };
  }

  private static AccessKey accessKey() {
    AccessKey accessKey = new AccessKey();
    accessKey.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("billing").withGeneration(1L)
        .withFinalizers("keywarden.io/finalizer").build());
    return accessKey;
  }
}
