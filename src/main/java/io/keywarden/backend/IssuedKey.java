package io.keywarden.backend;

import java.time.Instant;

/**
 * A key as returned once by the backend on creation, secret included.
 *
 * @param sessionToken only for temporary credentials, otherwise {@code null}
 */
public record IssuedKey(
    String accessKeyId, SecretValue secretAccessKey, SecretValue sessionToken, String user, Instant createdAt) {}
