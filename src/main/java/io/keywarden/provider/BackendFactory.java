package io.keywarden.provider;

import io.keywarden.backend.KeyBackend;

/** Builds the backend client for a provider; tests substitute their own. */
@FunctionalInterface
public interface BackendFactory {
  /** The production factory: the client of the provider's backend kind. */
  BackendFactory CONNECT = ResolvedProvider::connect;

  KeyBackend create(ResolvedProvider provider);
}
