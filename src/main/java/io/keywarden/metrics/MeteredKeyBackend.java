package io.keywarden.metrics;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.TemporaryKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Counts every backend call by provider, operation and outcome ({@code success} or the
 * {@link BackendException.Reason}), which is what shows throttling or an outage per provider.
 */
final class MeteredKeyBackend implements KeyBackend {
  private final KeyBackend delegate;
  private final String provider;
  private final MeterRegistry registry;

  MeteredKeyBackend(KeyBackend delegate, String provider, MeterRegistry registry) {
    this.delegate = delegate;
    this.provider = provider;
    this.registry = registry;
  }

  @Override
  public Identity whoAmI() {
    return call("whoAmI", delegate::whoAmI);
  }

  @Override
  public IssuedKey create(CreateKeyRequest request) {
    return call("create", () -> delegate.create(request));
  }

  @Override
  public List<KeyInfo> list(String user) {
    return call("list", () -> delegate.list(user));
  }

  @Override
  public Map<String, KeyInfo> lookup(String user, Set<String> accessKeyIds) {
    return call("lookup", () -> delegate.lookup(user, accessKeyIds));
  }

  @Override
  public void setStatus(String user, String accessKeyId, KeyStatus status) {
    call("setStatus", () -> {
      delegate.setStatus(user, accessKeyId, status);
      return null;
    });
  }

  @Override
  public void setExpiry(String user, String accessKeyId, java.time.Instant expiresAt) {
    call("setExpiry", () -> {
      delegate.setExpiry(user, accessKeyId, expiresAt);
      return null;
    });
  }

  @Override
  public boolean update(String user, String accessKeyId, io.keywarden.backend.KeySettings settings) {
    return call("update", () -> delegate.update(user, accessKeyId, settings));
  }

  @Override
  public void delete(String user, String accessKeyId) {
    call("delete", () -> {
      delegate.delete(user, accessKeyId);
      return null;
    });
  }

  @Override
  public boolean issuesTemporaryCredentials() {
    return delegate.issuesTemporaryCredentials();
  }

  @Override
  public TemporaryKey issueTemporary(Duration lifetime, String policy) {
    return call("issueTemporary", () -> delegate.issueTemporary(lifetime, policy));
  }

  @Override
  public void verify(IssuedKey key) {
    call("verify", () -> {
      delegate.verify(key);
      return null;
    });
  }

  @Override
  public boolean expiresKeysNatively() {
    return delegate.expiresKeysNatively();
  }

  @Override
  public boolean tagsKeys() {
    return delegate.tagsKeys();
  }

  @Override
  public List<KeyInfo> findByTag(String user, String tag) {
    return call("findByTag", () -> delegate.findByTag(user, tag));
  }

  @Override
  public boolean acceptsChosenCredentials() {
    return delegate.acceptsChosenCredentials();
  }

  @Override
  public boolean updatesKeySettings() {
    return delegate.updatesKeySettings();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private <T> T call(String operation, Supplier<T> work) {
    try {
      T result = work.get();
      count(operation, "success");
      return result;
    } catch (BackendException e) {
      count(operation, e.reason().name());
      throw e;
    } catch (RuntimeException e) {
      count(operation, "ERROR");
      throw e;
    }
  }

  private void count(String operation, String outcome) {
    Counter.builder("keywarden_backend_calls_total")
        .description("Calls to key backends")
        .tags("provider", provider, "operation", operation, "outcome", outcome)
        .register(registry)
        .increment();
  }
}
