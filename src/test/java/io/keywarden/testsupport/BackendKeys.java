package io.keywarden.testsupport;

import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import java.util.Optional;

/** Reads one key through a backend's own listing, for assertions. */
public final class BackendKeys {
  private BackendKeys() {}

  public static Optional<KeyInfo> find(KeyBackend backend, String user, String accessKeyId) {
    return backend.list(user).stream().filter(k -> k.accessKeyId().equals(accessKeyId)).findFirst();
  }
}
