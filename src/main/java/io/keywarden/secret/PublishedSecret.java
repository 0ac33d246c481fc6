package io.keywarden.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.SecretValue;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads back what a Secret keywarden wrote holds. */
public final class PublishedSecret {
  private PublishedSecret() {}

  public static boolean isOwnedBy(Secret secret, AccessKey accessKey) {
    String uid = accessKey.getMetadata().getUid();
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(ref -> Objects.equals(ref.getUid(), uid));
  }

  public static Optional<String> accessKeyId(Secret secret) {
    return Optional.ofNullable(annotations(secret).get(SecretRenderer.ACCESS_KEY_ID_ANNOTATION));
  }

  public static long revision(Secret secret) {
    String value = annotations(secret).get(SecretRenderer.REVISION_ANNOTATION);
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The secret key, if the Secret still holds it where keywarden put it. */
  public static Optional<SecretValue> secretAccessKey(Secret secret) {
    return field(secret, SecretRenderer.SECRET_FIELD_ANNOTATION);
  }

  public static Optional<SecretValue> sessionToken(Secret secret) {
    return field(secret, SecretRenderer.SESSION_TOKEN_FIELD_ANNOTATION);
  }

  private static Optional<SecretValue> field(Secret secret, String annotation) {
    String field = annotations(secret).get(annotation);
    if (field == null || secret.getData() == null || secret.getData().get(field) == null) {
      return Optional.empty();
    }
    return SecretData.decoded(secret.getData().get(field)).filter(text -> !text.isEmpty()).map(SecretValue::of);
  }

  /** Whether the published parts (data, our labels and annotations) equal a fresh rendering. */
  public static boolean matches(Secret existing, Secret rendered) {
    return Objects.equals(existing.getData(), rendered.getData())
        && containsAll(existing.getMetadata().getLabels(), rendered.getMetadata().getLabels())
        // a Secret left with its AccessKey's former shard is invisible to the shard serving it now
        && Objects.equals(shard(existing), shard(rendered))
        && containsAll(existing.getMetadata().getAnnotations(), rendered.getMetadata().getAnnotations());
  }

  private static String shard(Secret secret) {
    return secret.getMetadata().getLabels() == null ? null
        : secret.getMetadata().getLabels().get(AccessKey.SHARD_LABEL);
  }

  private static boolean containsAll(Map<String, String> actual, Map<String, String> expected) {
    return actual != null && actual.entrySet().containsAll(expected.entrySet());
  }

  private static Map<String, String> annotations(Secret secret) {
    return secret.getMetadata().getAnnotations() == null
        ? Map.of()
        : secret.getMetadata().getAnnotations();
  }
}
