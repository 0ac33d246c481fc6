package io.keywarden.provider;

import io.keywarden.backend.KeyBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One backend client per provider, rebuilt when the provider's spec or credentials change. HTTP
 * clients are expensive; building one per reconcile would waste connections and memory.
 */
public final class BackendCache implements AutoCloseable {
  private record Entry(String version, KeyBackend backend) {}

  private final BackendFactory factory;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public BackendCache(BackendFactory factory) {
    this.factory = factory;
  }

  public KeyBackend get(ResolvedProvider provider) {
    Entry entry =
        entries.compute(
            provider.id(),
            (id, existing) -> {
              if (existing != null && existing.version().equals(provider.version())) {
                return existing;
              }
              if (existing != null) {
                existing.backend().close();
              }
              return new Entry(provider.version(), factory.create(provider));
            });
    return entry.backend();
  }

  @Override
  public void close() {
    entries.values().forEach(e -> e.backend().close());
    entries.clear();
  }
}
