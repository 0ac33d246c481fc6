package io.keywarden.provider;

import io.keywarden.backend.KeyBackend;

/** Builds the backend client for a provider; tests substitute their own. */
@FunctionalInterface
public interface BackendFactory {
  KeyBackend create(ResolvedProvider provider);
}
