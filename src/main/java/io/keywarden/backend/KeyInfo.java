package io.keywarden.backend;

import java.time.Instant;

/** A key as listed by the backend: never the secret. {@code expiresAt} and {@code tag} may be null. */
public record KeyInfo(
    String accessKeyId, String user, KeyStatus status, Instant createdAt, Instant expiresAt, String tag) {}
