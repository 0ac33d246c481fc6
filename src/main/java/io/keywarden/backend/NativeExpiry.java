package io.keywarden.backend;

import java.time.Instant;

/**
 * A backend that expires keys itself (MinIO, Outscale OAPI): created keys carry
 * {@link CreateKeyRequest#expiresAt()} and {@link KeyInfo#expiresAt()}. Without it keywarden
 * deletes keys at their expiry.
 */
public interface NativeExpiry {
  /** Changes a key's native expiry in place ({@code null}: never expires). */
  void setExpiry(String user, String accessKeyId, Instant expiresAt);
}
