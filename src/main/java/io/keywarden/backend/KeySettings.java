package io.keywarden.backend;

import java.time.Instant;
import java.util.Objects;

/**
 * What an existing access key should look like, for {@link KeyBackend#update} (MinIO).
 *
 * @param name the new name; {@code null} leaves it as it is (MinIO cannot remove a name)
 * @param description the new description; {@code null} leaves it (MinIO cannot remove one either)
 * @param policy the key's inline policy (JSON); {@code null} gives the key its user's rights,
 *     removing an inline policy it had
 * @param expiresAt when the key expires; {@code null} means never, removing an expiry it had
 * @param status whether the key is usable
 */
public record KeySettings(String name, String description, String policy, Instant expiresAt, KeyStatus status) {

  public KeySettings {
    Objects.requireNonNull(status, "status");
  }
}
