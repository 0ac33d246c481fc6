package io.keywarden.testsupport.memory;

import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TemporaryCredentials;
import io.keywarden.backend.TemporaryKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Temporary credentials of the provider's own identity (MinIO signed in through OpenID): issued
 * with a session token, never listed, ending by themselves at the granted expiry.
 */
public final class TemporaryLikeBackend extends MemoryBackend implements TemporaryCredentials {
  /** What the backend grants when asked for no particular lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final List<TemporaryKey> issued = new CopyOnWriteArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();

  public TemporaryLikeBackend(Clock clock) {
    super(clock, "STSMEM");
  }

  @Override
  public TemporaryKey issueTemporary(Duration lifetime, String policy) {
    called("issueTemporary");
    Instant now = clock.instant();
    String id = String.format("STSMEM%014d", sequence.incrementAndGet());
    TemporaryKey key = new TemporaryKey(new IssuedKey(id, SecretValue.of("secret-" + id.toLowerCase()),
        SecretValue.of("token-" + id.toLowerCase()), SELF, now), now.plus(lifetime == null ? DEFAULT_LIFETIME : lifetime));
    issued.add(key);
    return key;
  }

  /** Whether the credentials were issued here and have not expired. */
  public boolean acceptsTemporary(String accessKeyId, String secretKey, String sessionToken) {
    return issued.stream().anyMatch(k -> k.key().accessKeyId().equals(accessKeyId)
        && k.key().secretAccessKey().reveal().equals(secretKey)
        && k.key().sessionToken().reveal().equals(sessionToken)
        && k.expiresAt().isAfter(clock.instant()));
  }

  public List<TemporaryKey> issued() {
    return List.copyOf(issued);
  }
}
