package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestartAnnotationTest {
  /** The API server's rule for the name part of an annotation key. */
  static final String NAME_PART = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

  @Test
  void oneKeyPerAccessKey() {
    assertThat(RestartAnnotation.key("billing")).isEqualTo("rotation.keywarden.io/billing");
    assertThat(RestartAnnotation.key("billing")).isNotEqualTo(RestartAnnotation.key("billing-ro"));
  }

  @Test
  void longNamesFitAndStayDistinct() {
    String a = "a".repeat(100) + ".one";
    String b = "a".repeat(100) + ".two";
    String nameA = RestartAnnotation.key(a).substring(RestartAnnotation.PREFIX.length());
    String nameB = RestartAnnotation.key(b).substring(RestartAnnotation.PREFIX.length());

    assertThat(nameA).hasSizeLessThanOrEqualTo(63).matches(NAME_PART);
    assertThat(nameB).hasSizeLessThanOrEqualTo(63).matches(NAME_PART);
    assertThat(nameA).isNotEqualTo(nameB);
  }

  @Test
  void aNameOfExactly63CharactersIsKept() {
    String name = "k".repeat(63);
    assertThat(RestartAnnotation.key(name)).isEqualTo("rotation.keywarden.io/" + name);
  }

  @Test
  void aTruncatedNameNeverEndsInAPunctuationBeforeTheDigest() {
    String name = "a".repeat(49) + "-." + "b".repeat(40);
    String part = RestartAnnotation.key(name).substring(RestartAnnotation.PREFIX.length());
    assertThat(part).matches(NAME_PART).doesNotContain("-.-").doesNotContain(".-");
  }
}
