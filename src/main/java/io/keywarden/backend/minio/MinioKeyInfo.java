package io.keywarden.backend.minio;

import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import java.time.Instant;

/**
 * An access key as MinIO describes it: everything but the secret. MinIO records no creation time.
 *
 * @param parentUser the user the key belongs to
 * @param expiresAt {@code null} when the key never expires
 * @param name {@code null} when unset
 * @param description {@code null} when unset
 * @param policy the key's own inline policy (JSON), or {@code null} when the key has its user's
 *     rights (MinIO's "implied policy")
 */
public record MinioKeyInfo(
    String accessKeyId,
    String parentUser,
    KeyStatus status,
    Instant expiresAt,
    String name,
    String description,
    String policy) {

  public KeyInfo toKeyInfo() {
    return new KeyInfo(accessKeyId, parentUser, status, null, expiresAt, null);
  }
}
