package io.keywarden.testsupport.memory;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The verbs every backend has, on keys held in memory, for the fast controller tests on the
 * fabric8 mock server. Two keys per user and server-generated ids, as IAM; the subclasses add the
 * capabilities of the other backends. A key with an expiry is gone once the clock passes it, as
 * on backends that expire keys themselves.
 */
public abstract class MemoryBackend implements KeyBackend {
  public static final String SELF = "self";
  private static final int KEYS_PER_USER = 2;

  protected final Clock clock;
  private final String idPrefix;
  private final Map<String, KeyInfo> keys = new LinkedHashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  /** When each key was created, on the backend's clock (also for profiles that report no creation time). */
  private final Map<String, Instant> created = new LinkedHashMap<>();
  private final Map<String, Integer> verifications = new LinkedHashMap<>();
  private volatile Duration usableAfter = Duration.ZERO;
  private volatile int unusableVerifications;
  private volatile Consumer<String> beforeCall = op -> {};

  protected MemoryBackend(Clock clock, String idPrefix) {
    this.clock = clock;
    this.idPrefix = idPrefix;
  }

  /** Runs before each call with the operation name; may throw to inject a failure. */
  public void beforeEachCall(Consumer<String> hook) {
    this.beforeCall = hook;
  }

  /** New keys answer "not usable yet" until the clock has passed their creation by {@code delay}, as new IAM keys do. */
  public void newKeysUsableAfter(Duration delay) {
    this.usableAfter = delay;
  }

  /** Each new key answers "not usable yet" to its first {@code count} verifications. */
  public void newKeysUnusableForVerifications(int count) {
    this.unusableVerifications = count;
  }

  /** How many times a key was verified. */
  public synchronized int verifications(String accessKeyId) {
    return verifications.getOrDefault(accessKeyId, 0);
  }

  protected void called(String operation) {
    beforeCall.accept(operation);
  }

  @Override
  public Identity whoAmI() {
    called("whoAmI");
    return new Identity("memory:user/" + SELF, SELF, true);
  }

  @Override
  public synchronized IssuedKey create(CreateKeyRequest request) {
    called("create");
    String id = String.format("%s%012d", idPrefix, sequence.incrementAndGet());
    return store(request, id, SecretValue.of("secret-" + id.toLowerCase()));
  }

  /** Records a new key of the request's user, with what the profile keeps of the request. */
  protected synchronized IssuedKey store(CreateKeyRequest request, String id, SecretValue secret) {
    String user = userOf(request.user());
    if (keysOf(user).size() >= KEYS_PER_USER) {
      throw new BackendException(Reason.LIMIT_EXCEEDED, "user " + user + " already has " + KEYS_PER_USER + " keys");
    }
    creates.incrementAndGet();
    KeyInfo info = new KeyInfo(id, user, KeyStatus.ACTIVE, createdAt(), expiresAt(request), tag(request));
    keys.put(id, info);
    secrets.put(id, secret.reveal());
    created.put(id, clock.instant());
    return new IssuedKey(id, secret, null, user, clock.instant());
  }

  /** When the backend says a key was created; null for backends that do not record it. */
  protected Instant createdAt() {
    return clock.instant();
  }

  /** The native expiry the backend keeps; none by default. */
  protected Instant expiresAt(CreateKeyRequest request) {
    return null;
  }

  /** The tag the backend keeps; none by default. */
  protected String tag(CreateKeyRequest request) {
    return null;
  }

  @Override
  public synchronized List<KeyInfo> list(String user) {
    called("list");
    return keysOf(userOf(user));
  }

  @Override
  public synchronized void setStatus(String user, String accessKeyId, KeyStatus status) {
    called("setStatus");
    replace(accessKeyId, key -> new KeyInfo(key.accessKeyId(), key.user(), status, key.createdAt(), key.expiresAt(), key.tag()));
  }

  protected synchronized void replace(String accessKeyId, java.util.function.UnaryOperator<KeyInfo> change) {
    KeyInfo key = live(accessKeyId);
    if (key == null) {
      throw new BackendException(Reason.NOT_FOUND, "no key " + accessKeyId);
    }
    keys.put(accessKeyId, change.apply(key));
  }

  @Override
  public synchronized void delete(String user, String accessKeyId) {
    called("delete");
    keys.remove(accessKeyId);
    secrets.remove(accessKeyId);
  }

  @Override
  public synchronized void verify(IssuedKey key) {
    called("verify");
    String id = key.accessKeyId();
    int seen = verifications.merge(id, 1, Integer::sum);
    Instant createdAt = created.get(id);
    if (seen <= unusableVerifications || createdAt != null && clock.instant().isBefore(createdAt.plus(usableAfter))) {
      throw new BackendException(Reason.KEY_NOT_USABLE_YET, "access key " + id + " is not usable yet");
    }
    if (!accepts(id, key.secretAccessKey().reveal())) {
      throw new BackendException(Reason.KEY_NOT_USABLE_YET, "unknown key");
    }
  }

  @Override
  public void close() {}

  /** Every live key of every user. */
  public synchronized List<KeyInfo> allKeys() {
    return new ArrayList<>(keys.values().stream().filter(this::alive).toList());
  }

  /** Whether {@code secret} is the secret of a live, active key. */
  public synchronized boolean accepts(String accessKeyId, String secret) {
    KeyInfo key = live(accessKeyId);
    return key != null && key.status() == KeyStatus.ACTIVE && Objects.equals(secret, secrets.get(accessKeyId));
  }

  /** Removes a key as someone outside keywarden would. */
  public synchronized void deleteOutside(String accessKeyId) {
    keys.remove(accessKeyId);
    secrets.remove(accessKeyId);
  }

  public int creates() {
    return creates.get();
  }

  protected synchronized KeyInfo live(String accessKeyId) {
    KeyInfo key = keys.get(accessKeyId);
    return key != null && alive(key) ? key : null;
  }

  protected synchronized String secretOf(String accessKeyId) {
    return secrets.get(accessKeyId);
  }

  private boolean alive(KeyInfo key) {
    return key.expiresAt() == null || key.expiresAt().isAfter(clock.instant());
  }

  private List<KeyInfo> keysOf(String user) {
    return keys.values().stream().filter(k -> k.user().equals(user)).filter(this::alive).toList();
  }

  protected static String userOf(String user) {
    return user == null ? SELF : user;
  }
}
