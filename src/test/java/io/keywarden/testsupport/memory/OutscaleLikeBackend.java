package io.keywarden.testsupport.memory;

import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.backend.TaggedKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Outscale OAPI's capability set: server-generated keys tagged with the fence's nonce, native expiry. */
public final class OutscaleLikeBackend extends MemoryBackend implements NativeExpiry, TaggedKeys {
  public OutscaleLikeBackend(Clock clock) {
    super(clock, "OSCMEM");
  }

  @Override
  protected Instant expiresAt(CreateKeyRequest request) {
    return request.expiresAt();
  }

  @Override
  protected String tag(CreateKeyRequest request) {
    return request.nonce();
  }

  @Override
  public void setExpiry(String user, String accessKeyId, Instant expiresAt) {
    called("setExpiry");
    replace(accessKeyId, k -> new KeyInfo(k.accessKeyId(), k.user(), k.status(), k.createdAt(), expiresAt, k.tag()));
  }

  @Override
  public List<KeyInfo> findByTag(String user, String tag) {
    called("findByTag");
    return list(user).stream().filter(k -> tag.equals(k.tag())).toList();
  }
}
