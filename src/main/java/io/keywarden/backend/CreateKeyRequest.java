package io.keywarden.backend;

import java.time.Instant;

/**
 * What to create.
 *
 * @param user target user, or {@code null} for the caller's own identity
 * @param nonce the create fence's nonce; backends that can tag keys record it
 * @param description free text, may be {@code null}
 * @param expiresAt native expiry for backends that support it, may be {@code null}
 */
public record CreateKeyRequest(String user, String nonce, String description, Instant expiresAt) {}
