package io.keywarden.testsupport.memory;

import io.keywarden.backend.AccountListing;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.backend.SecretValue;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MinIO's capability set: client-chosen credentials (a second create of the same access key for
 * the same user adopts it), a name, description and policy changed in place, native expiry, no
 * creation time in listings, and an account listing that, as MinIO's bulk listing, leaves out
 * users without keys and tells each key's expiry but not its status.
 */
public final class MinioLikeBackend extends MemoryBackend
    implements NativeExpiry, ChosenCredentials, InPlaceSettings, AccountListing {
  public static final int MAX_POLICY = 2048;
  private final Map<String, KeySettings> settings = new ConcurrentHashMap<>();

  public MinioLikeBackend(Clock clock) {
    super(clock, "MINIOMEM");
  }

  @Override
  public synchronized IssuedKey create(CreateKeyRequest request) {
    called("create");
    String id = request.chosenAccessKey();
    if (id == null) {
      throw new BackendException(Reason.INVALID_REQUEST, "this profile only takes chosen credentials");
    }
    KeyInfo existing = live(id);
    if (existing != null) {
      if (existing.user().equals(userOf(request.user())) && request.chosenSecret().reveal().equals(secretOf(id))) {
        return new IssuedKey(id, request.chosenSecret(), null, existing.user(), null);
      }
      throw new BackendException(Reason.INVALID_REQUEST, "the access key " + id + " is taken");
    }
    IssuedKey key = store(request, id, request.chosenSecret());
    settings.put(id, new KeySettings(request.name(), request.description(), request.policy(), request.expiresAt(),
        io.keywarden.backend.KeyStatus.ACTIVE));
    return new IssuedKey(key.accessKeyId(), key.secretAccessKey(), null, key.user(), null);
  }

  @Override
  protected Instant createdAt() {
    return null;
  }

  @Override
  protected Instant expiresAt(CreateKeyRequest request) {
    return request.expiresAt();
  }

  @Override
  public void setExpiry(String user, String accessKeyId, Instant expiresAt) {
    called("setExpiry");
    replace(accessKeyId, k -> new KeyInfo(k.accessKeyId(), k.user(), k.status(), k.createdAt(), expiresAt, k.tag()));
  }

  @Override
  public boolean update(String user, String accessKeyId, KeySettings wanted) {
    called("update");
    KeyInfo current = live(accessKeyId);
    KeySettings held = settings.get(accessKeyId);
    if (current == null || held == null) {
      throw new BackendException(Reason.NOT_FOUND, "no key " + accessKeyId);
    }
    KeySettings next = new KeySettings(wanted.name() != null ? wanted.name() : held.name(),
        wanted.description() != null ? wanted.description() : held.description(), wanted.policy(), wanted.expiresAt(),
        wanted.status());
    boolean changed = !Objects.equals(next, held) || current.status() != wanted.status()
        || !Objects.equals(current.expiresAt(), wanted.expiresAt());
    settings.put(accessKeyId, next);
    replace(accessKeyId, k -> new KeyInfo(k.accessKeyId(), k.user(), wanted.status(), k.createdAt(), wanted.expiresAt(), k.tag()));
    return changed;
  }

  @Override
  public Map<String, List<KeyInfo>> listAccount() {
    called("listAccount");
    return allKeys().stream()
        .map(k -> new KeyInfo(k.accessKeyId(), k.user(), null, null, k.expiresAt(), null))
        .collect(Collectors.groupingBy(KeyInfo::user));
  }

  @Override
  public Optional<String> policyProblem(String policy) {
    return policy != null && policy.length() > MAX_POLICY
        ? Optional.of("is longer than " + MAX_POLICY + " characters") : Optional.empty();
  }

  @Override
  public ChosenKey generate() {
    String random = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    return new ChosenKey(random.substring(0, 20), SecretValue.of(random + random.substring(0, 8)));
  }

  @Override
  public Optional<String> accessKeyProblem(String accessKeyId) {
    return accessKeyId.length() < 3 || accessKeyId.length() > 20
        ? Optional.of("must have 3 to 20 characters") : Optional.empty();
  }

  @Override
  public Optional<String> secretKeyProblem(SecretValue secretKey) {
    int length = secretKey.reveal().length();
    return length < 8 || length > 40 ? Optional.of("must have 8 to 40 characters") : Optional.empty();
  }

  /** The name, description and policy the key carries now. */
  public KeySettings settingsOf(String accessKeyId) {
    return settings.get(accessKeyId);
  }
}
