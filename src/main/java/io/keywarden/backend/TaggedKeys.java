package io.keywarden.backend;

import java.util.List;

/**
 * A backend whose created keys carry {@link CreateKeyRequest#nonce()} as {@link KeyInfo#tag()}
 * (Outscale OAPI): a crash recovery then finds exactly the keys of the interrupted create by tag,
 * instead of by time.
 */
public interface TaggedKeys {
  /** The user's keys carrying the tag, found by the backend itself. */
  List<KeyInfo> findByTag(String user, String tag);
}
