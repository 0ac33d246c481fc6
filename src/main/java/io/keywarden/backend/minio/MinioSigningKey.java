package io.keywarden.backend.minio;

import io.keywarden.backend.SecretValue;
import java.util.Objects;

/**
 * Credentials a MinIO request is signed with; {@code sessionToken} only for temporary (STS) ones.
 * Admin request bodies are encrypted with {@code secretKey}, whichever kind it is.
 */
public record MinioSigningKey(String accessKey, SecretValue secretKey, SecretValue sessionToken) {
  public MinioSigningKey {
    if (accessKey == null || accessKey.isEmpty()) {
      throw new IllegalArgumentException("accessKey must be set");
    }
    Objects.requireNonNull(secretKey, "secretKey");
  }

  public MinioSigningKey(String accessKey, SecretValue secretKey) {
    this(accessKey, secretKey, null);
  }
}
