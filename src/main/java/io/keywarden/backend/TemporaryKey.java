package io.keywarden.backend;

import java.time.Instant;

/** Temporary credentials (with a session token) and when the backend lets them expire. */
public record TemporaryKey(IssuedKey key, Instant expiresAt) {}
