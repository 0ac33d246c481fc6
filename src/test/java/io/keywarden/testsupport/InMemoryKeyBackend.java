package io.keywarden.testsupport;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A hand-written in-memory backend for the fast controller tests on the fabric8 mock server. It
 * behaves like IAM where it matters to the lifecycle (two keys per user, NoSuchEntity, random
 * ids); the integration tests run the same lifecycle against moto instead.
 */
public final class InMemoryKeyBackend implements KeyBackend {
  public static final String SELF = "self";
  private final Clock clock;
  private final Map<String, KeyInfo> keys = new LinkedHashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile Consumer<String> beforeCall = op -> {};

  public InMemoryKeyBackend(Clock clock) {
    this.clock = clock;
  }

  /** Runs before each call with the operation name; may throw to inject a failure. */
  public void beforeEachCall(Consumer<String> hook) {
    this.beforeCall = hook;
  }

  @Override
  public Identity whoAmI() {
    beforeCall.accept("whoAmI");
    return new Identity("arn:aws:iam::123456789012:user/" + SELF, SELF, true);
  }

  @Override
  public synchronized IssuedKey create(CreateKeyRequest request) {
    beforeCall.accept("create");
    String user = userOf(request.user());
    if (keysOf(user).size() >= 2) {
      throw new BackendException(BackendException.Reason.LIMIT_EXCEEDED, "user " + user + " already has 2 keys");
    }
    creates.incrementAndGet();
    String id = String.format("AKIAFAKE%012d", sequence.incrementAndGet());
    String secret = "secret-" + id.toLowerCase();
    KeyInfo info = new KeyInfo(id, user, KeyStatus.ACTIVE, clock.instant(), null, request.nonce());
    keys.put(id, info);
    secrets.put(id, secret);
    return new IssuedKey(id, SecretValue.of(secret), null, user, info.createdAt());
  }

  @Override
  public synchronized List<KeyInfo> list(String user) {
    beforeCall.accept("list");
    return keysOf(userOf(user));
  }

  @Override
  public synchronized void setStatus(String user, String accessKeyId, KeyStatus status) {
    beforeCall.accept("setStatus");
    KeyInfo key = keys.get(accessKeyId);
    if (key == null) {
      throw new BackendException(BackendException.Reason.NOT_FOUND, "no key " + accessKeyId);
    }
    keys.put(accessKeyId, new KeyInfo(key.accessKeyId(), key.user(), status, key.createdAt(), key.expiresAt(), key.tag()));
  }

  @Override
  public synchronized void delete(String user, String accessKeyId) {
    beforeCall.accept("delete");
    keys.remove(accessKeyId);
    secrets.remove(accessKeyId);
  }

  @Override
  public void verify(IssuedKey key) {
    beforeCall.accept("verify");
    if (!Objects.equals(secrets.get(key.accessKeyId()), key.secretAccessKey().reveal())) {
      throw new BackendException(BackendException.Reason.KEY_NOT_USABLE_YET, "unknown key");
    }
  }

  @Override
  public void close() {}

  public synchronized List<KeyInfo> allKeys() {
    return new ArrayList<>(keys.values());
  }

  /** Whether {@code secret} is the secret of a live, active key. */
  public synchronized boolean accepts(String accessKeyId, String secret) {
    KeyInfo key = keys.get(accessKeyId);
    return key != null && key.status() == KeyStatus.ACTIVE && secret.equals(secrets.get(accessKeyId));
  }

  public int creates() {
    return creates.get();
  }

  private List<KeyInfo> keysOf(String user) {
    return keys.values().stream().filter(k -> k.user().equals(user)).toList();
  }

  private static String userOf(String user) {
    return user == null ? SELF : user;
  }
}
