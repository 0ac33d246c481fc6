package io.keywarden.provider;

import io.keywarden.backend.Identity;
import io.keywarden.backend.KeyBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One backend client per provider, rebuilt when the provider's spec or credentials change. HTTP
 * clients are expensive; building one per reconcile would waste connections and memory.
 */
public final class BackendCache implements AutoCloseable {
  private static final class Entry {
    final String version;
    final KeyBackend backend;
    volatile Identity identity;

    Entry(String version, KeyBackend backend) {
      this.version = version;
      this.backend = backend;
    }
  }

  private final BackendFactory factory;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public BackendCache(BackendFactory factory) {
    this.factory = factory;
  }

  public KeyBackend get(ResolvedProvider provider) {
    return entry(provider).backend;
  }

  /** Who the provider's credentials are; asked once per credentials version, not per reconcile. */
  public Identity identity(ResolvedProvider provider) {
    Entry entry = entry(provider);
    if (entry.identity == null) {
      entry.identity = entry.backend.whoAmI();
    }
    return entry.identity;
  }

  private Entry entry(ResolvedProvider provider) {
    return entries.compute(
        provider.id(),
        (id, existing) -> {
          if (existing != null && existing.version.equals(provider.version())) {
            return existing;
          }
          if (existing != null) {
            existing.backend.close();
          }
          return new Entry(provider.version(), factory.create(provider));
        });
  }

  @Override
  public void close() {
    entries.values().forEach(e -> e.backend.close());
    entries.clear();
  }
}
