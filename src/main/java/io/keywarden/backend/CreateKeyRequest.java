package io.keywarden.backend;

import java.time.Instant;

/**
 * What to create.
 *
 * @param user target user, or {@code null} for the caller's own identity
 * @param nonce the create fence's nonce; backends that can tag keys record it
 * @param description free text, may be {@code null}
 * @param expiresAt native expiry for backends that support it, may be {@code null}
 * @param name a short name for backends that name keys (MinIO), may be {@code null}
 * @param policy an inline JSON policy that restricts the key below its user's rights (MinIO), may
 *     be {@code null}
 * @param chosenAccessKey client-chosen access key for backends that accept one (MinIO), or {@code
 *     null} to let the backend choose; set together with {@code chosenSecret} or not at all
 * @param chosenSecret the client-chosen secret key that goes with {@code chosenAccessKey}
 */
public record CreateKeyRequest(
    String user,
    String nonce,
    String description,
    Instant expiresAt,
    String name,
    String policy,
    String chosenAccessKey,
    SecretValue chosenSecret) {

  public CreateKeyRequest {
    if ((chosenAccessKey == null) != (chosenSecret == null)) {
      throw new IllegalArgumentException("a chosen access key and secret key go together: set both or neither");
    }
  }

  /** A request with only the fields every backend understands. */
  public CreateKeyRequest(String user, String nonce, String description, Instant expiresAt) {
    this(user, nonce, description, expiresAt, null, null, null, null);
  }
}
