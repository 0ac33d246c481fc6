package io.keywarden.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.backend.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads the entries of a Secret someone else wrote (data base64-decoded, stringData as is). */
public final class SecretData {
  private SecretData() {}

  /** Every entry; a value that is not base64 is left out. */
  public static Map<String, SecretValue> decode(Secret secret) {
    Map<String, SecretValue> entries = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, value) -> decoded(value).ifPresent(text -> entries.put(key, SecretValue.of(text))));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((key, value) -> entries.put(key, SecretValue.of(value)));
    }
    return entries;
  }

  /** The text of a base64 data value, or empty when it is not base64. */
  public static Optional<String> decoded(String base64) {
    try {
      return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
