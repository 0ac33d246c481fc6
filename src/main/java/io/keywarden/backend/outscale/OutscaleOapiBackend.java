package io.keywarden.backend.outscale;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.backend.TaggedKeys;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.Users;
import io.keywarden.backend.outscale.OapiClient.CreateAccessKeyRequest;
import io.keywarden.backend.outscale.OapiClient.CreateAccessKeyResponse;
import io.keywarden.backend.outscale.OapiClient.DeleteAccessKeyRequest;
import io.keywarden.backend.outscale.OapiClient.OapiAccessKey;
import io.keywarden.backend.outscale.OapiClient.ReadAccessKeysRequest;
import io.keywarden.backend.outscale.OapiClient.ReadAccessKeysResponse;
import io.keywarden.backend.outscale.OapiClient.UpdateAccessKeyRequest;
import io.keywarden.backend.outscale.OutscaleBackendConfig.AccessKey;
import io.keywarden.backend.outscale.OutscaleBackendConfig.Credentials;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeyBackend} for access keys of an OUTSCALE account or of its EIM users, through the
 * OUTSCALE API (OAPI). {@code user} is an EIM user name ({@code UserName}); {@code null} means the
 * keys of whoever the provider credentials are (the account itself, or an EIM user).
 *
 * <table>
 *   <caption>calls</caption>
 *   <tr><th>KeyBackend</th><th>OAPI call</th></tr>
 *   <tr><td>whoAmI</td><td>ReadAccessKeys: reads, changes nothing</td></tr>
 *   <tr><td>create</td><td>CreateAccessKey with ExpirationDate and the fence's nonce as Tag</td></tr>
 *   <tr><td>list, find, {@link #findByTag}</td><td>ReadAccessKeys (by AccessKeyIds, by Tag)</td></tr>
 *   <tr><td>setStatus</td><td>ReadAccessKeys, then UpdateAccessKey resending ExpirationDate and Tag</td></tr>
 *   <tr><td>delete</td><td>UpdateAccessKey to INACTIVE if it is ACTIVE, then DeleteAccessKey</td></tr>
 *   <tr><td>verify</td><td>ReadAccessKeys signed with the new key</td></tr>
 * </table>
 *
 * <p><b>Expiry.</b> Outscale expires keys itself ({@link NativeExpiry}), but {@code
 * UpdateAccessKey} without {@code ExpirationDate} removes the expiry. So every update first reads
 * the key and sends its {@code ExpirationDate} (and {@code Tag}) again.
 *
 * <p><b>Deleting.</b> Outscale refuses to delete an EIM user's key that is ACTIVE. Since provider
 * credentials may themselves be an EIM user's (then {@code user == null} means that user), every
 * ACTIVE key is set INACTIVE first. A key or user that is already gone counts as deleted.
 *
 * <p><b>Retries.</b> Reads, updates and deletes are tried at most {@value #MAX_ATTEMPTS} times, on
 * throttling (503 code 6, 429 codes 24/25; the limits are per second, so the waits are seconds)
 * and on 5xx or no answer (short waits). {@code CreateAccessKey} is repeated only after throttling,
 * which the API's limiters answer before the request is processed; after a lost answer it is not,
 * since a repeat would make a second key behind the create fence's back.
 *
 * <p><b>Authentication failures are never retried fast</b>: four in a row lock an access key or a
 * login for minutes (for good, eventually), and a locked login also locks a person out of Cockpit.
 * After a failure, the credentials are not used again for {@link #FIRST_AUTH_HOLD_OFF}, doubling
 * with each further failure up to {@link #MAX_AUTH_HOLD_OFF}; calls in between fail at once without
 * reaching the API. Any success resets it. The same holds for a new key in {@link #verify}.
 *
 * <p>The secret key exists only inside the returned {@link IssuedKey}'s {@link SecretValue}; it is
 * never logged and never part of a message.
 */
public final class OutscaleOapiBackend implements KeyBackend, NativeExpiry, TaggedKeys {

  private static final Logger LOG = LoggerFactory.getLogger(OutscaleOapiBackend.class);

  static final int MAX_ATTEMPTS = 3;
  static final Duration THROTTLED_WAIT = Duration.ofSeconds(1);
  static final Duration UNAVAILABLE_WAIT = Duration.ofMillis(200);
  static final Duration FIRST_AUTH_HOLD_OFF = Duration.ofMinutes(1);
  static final Duration MAX_AUTH_HOLD_OFF = Duration.ofMinutes(15);

  private final OutscaleBackendConfig config;
  private final OapiClient client;
  private final Clock clock;
  /** Authentication failures by credentials identity (access key id or login). */
  private final Map<String, AuthHoldOff> holdOffs = new ConcurrentHashMap<>();

  private record AuthHoldOff(int failures, Instant until, String lastFailure) {}

  private OutscaleOapiBackend(OutscaleBackendConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.client = new OapiClient(config, clock);
  }

  /** A backend for one account and one set of provider credentials. Makes no call. */
  public static OutscaleOapiBackend create(OutscaleBackendConfig config) {
    return new OutscaleOapiBackend(config, Clock.systemUTC());
  }

  /** For tests: the clock decides the authentication hold-off and signs the requests. */
  static OutscaleOapiBackend create(OutscaleBackendConfig config, Clock clock) {
    return new OutscaleOapiBackend(config, clock);
  }

  public OutscaleBackendConfig config() {
    return config;
  }

  /**
   * Reads the caller's own keys: proves the credentials without changing anything. OAPI has no
   * "who am I"; the identity is named by its credentials, and owns keys either way (the account or
   * an EIM user).
   */
  @Override
  public Identity whoAmI() {
    read("oapi:ReadAccessKeys for the caller's own identity", new ReadAccessKeysRequest(null, null, null), config.credentials());
    return new Identity("outscale " + config.credentials().identity(), null, true);
  }

  @Override
  public IssuedKey create(CreateKeyRequest request) {
    String user = request.user();
    String operation = "oapi:CreateAccessKey " + forUser(user);
    CreateAccessKeyRequest body =
        new CreateAccessKeyRequest(OapiClient.formatDate(request.expiresAt()), request.nonce(), user);
    OapiAccessKey key = call(operation, "CreateAccessKey", body, CreateAccessKeyResponse.class, config.credentials(), false)
        .accessKey();
    if (key == null || key.accessKeyId() == null || key.secretKey() == null) {
      // The key may exist without us knowing its id; the fence's recovery finds it by its Tag.
      throw new BackendException(Reason.UNAVAILABLE, operation + " returned no access key");
    }
    LOG.info("Created access key {} {}", key.accessKeyId(), forUser(user));
    return new IssuedKey(key.accessKeyId(), SecretValue.of(key.secretKey()), null, user, date(operation, key.creationDate()));
  }

  @Override
  public List<KeyInfo> list(String user) {
    return read("oapi:ReadAccessKeys " + forUser(user), new ReadAccessKeysRequest(null, null, user), config.credentials())
        .stream().map(k -> info(user, k)).toList();
  }

  /**
   * The keys of the user that carry the tag: for recovery after a crash between CreateAccessKey and
   * recording its result, the keys of the interrupted create (tag = the fence's nonce). The tag is
   * also checked here, so a server that ignored the filter cannot make recovery delete other keys.
   */
  @Override
  public List<KeyInfo> findByTag(String user, String tag) {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("tag must be set");
    }
    return read("oapi:ReadAccessKeys " + forUser(user) + " tagged " + tag, new ReadAccessKeysRequest(null, tag, user),
            config.credentials())
        .stream().filter(k -> tag.equals(k.tag())).map(k -> info(user, k)).toList();
  }

  @Override
  public void setStatus(String user, String accessKeyId, KeyStatus status) {
    String operation = "oapi:UpdateAccessKey " + accessKeyId + " " + forUser(user) + " to " + status;
    OapiAccessKey current =
        readOne(user, accessKeyId)
            .orElseThrow(() -> new BackendException(Reason.NOT_FOUND, operation + " failed: no such access key"));
    update(operation, user, current, status);
    LOG.info("Set access key {} {} to {}", accessKeyId, forUser(user), status);
  }

  /** UpdateAccessKey with the new date and the key's current state (the call sets both). */
  @Override
  public void setExpiry(String user, String accessKeyId, Instant expiresAt) {
    String operation = "oapi:UpdateAccessKey " + accessKeyId + " " + forUser(user) + " expiry";
    OapiAccessKey current =
        readOne(user, accessKeyId)
            .orElseThrow(() -> new BackendException(Reason.NOT_FOUND, operation + " failed: no such access key"));
    call(operation, "UpdateAccessKey",
        new UpdateAccessKeyRequest(current.accessKeyId(), status(current.state()).name(),
            OapiClient.formatDate(expiresAt), current.tag(), user),
        JsonNode.class, config.credentials(), true);
    LOG.info("Set the expiry of access key {} {} to {}", accessKeyId, forUser(user), expiresAt);
  }

  @Override
  public void delete(String user, String accessKeyId) {
    try {
      Optional<OapiAccessKey> current = readOne(user, accessKeyId);
      if (current.isEmpty()) {
        LOG.debug("Access key {} {} was already gone", accessKeyId, forUser(user));
        return;
      }
      if (status(current.get().state()) == KeyStatus.ACTIVE) {
        update("oapi:UpdateAccessKey " + accessKeyId + " " + forUser(user) + " to INACTIVE before deleting it",
            user, current.get(), KeyStatus.INACTIVE);
      }
      call("oapi:DeleteAccessKey " + accessKeyId + " " + forUser(user), "DeleteAccessKey",
          new DeleteAccessKeyRequest(accessKeyId, user), JsonNode.class, config.credentials(), true);
      LOG.info("Deleted access key {} {}", accessKeyId, forUser(user));
    } catch (BackendException e) {
      if (e.reason() != Reason.NOT_FOUND) {
        throw e;
      }
      // the key or the user went meanwhile: either way the key is gone
      LOG.debug("Access key {} {} was already gone: {}", accessKeyId, forUser(user), e.getMessage());
    }
  }

  /**
   * Reads the new key itself, signed with it. An authentication failure means "not usable yet"
   * (and holds the new key off like any credentials); an access-denied answer means it
   * authenticated, so it counts as working.
   */
  @Override
  public void verify(IssuedKey key) {
    AccessKey credentials = new AccessKey(key.accessKeyId(), key.secretAccessKey());
    String operation = "oapi:ReadAccessKeys signed with the new access key " + key.accessKeyId();
    try {
      read(operation, new ReadAccessKeysRequest(new ReadAccessKeysRequest.Filters(List.of(key.accessKeyId())), null, null),
          credentials);
    } catch (BackendException e) {
      if (e.reason() == Reason.ACCESS_DENIED) {
        return;
      }
      if (e.reason() == Reason.AUTHENTICATION) {
        throw new BackendException(
            Reason.KEY_NOT_USABLE_YET, "the new access key " + key.accessKeyId() + " is not accepted yet: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Nothing to release: the JDK HTTP client of Java 17 has no close and frees its pool when unused. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "OutscaleOapiBackend[" + config.region() + ", " + config.endpoint() + ", " + config.credentials().identity() + "]";
  }

  // --- helpers ---------------------------------------------------------------------------------

  private List<OapiAccessKey> read(String operation, ReadAccessKeysRequest body, Credentials credentials) {
    List<OapiAccessKey> keys = call(operation, "ReadAccessKeys", body, ReadAccessKeysResponse.class, credentials, true).accessKeys();
    return keys == null ? List.of() : keys;
  }

  private Optional<OapiAccessKey> readOne(String user, String accessKeyId) {
    return read("oapi:ReadAccessKeys " + accessKeyId + " " + forUser(user),
            new ReadAccessKeysRequest(new ReadAccessKeysRequest.Filters(List.of(accessKeyId)), null, user), config.credentials())
        .stream().filter(k -> accessKeyId.equals(k.accessKeyId())).findFirst();
  }

  /** UpdateAccessKey with the key's current ExpirationDate and Tag sent again (see the class comment). */
  private void update(String operation, String user, OapiAccessKey current, KeyStatus status) {
    String expiration = OapiClient.formatDate(date(operation, current.expirationDate()));
    call(operation, "UpdateAccessKey",
        new UpdateAccessKeyRequest(current.accessKeyId(), status.name(), expiration, current.tag(), user),
        JsonNode.class, config.credentials(), true);
  }

  /**
   * One action with the retry and hold-off rules of the class comment.
   *
   * @param idempotent whether a repeat after 5xx or a lost answer is harmless
   */
  private <T> T call(String operation, String action, Object body, Class<T> type, Credentials credentials, boolean idempotent) {
    String identity = credentials.identity();
    AuthHoldOff holdOff = holdOffs.get(identity);
    Instant now = clock.instant();
    if (holdOff != null && now.isBefore(holdOff.until())) {
      throw new BackendException(
          Reason.AUTHENTICATION,
          operation + " not sent: the " + identity + " failed to authenticate (" + holdOff.lastFailure()
              + "); to avoid an Outscale lockout it is not used again before " + holdOff.until());
    }
    for (int attempt = 1; ; attempt++) {
      Reason reason;
      BackendException failure;
      try {
        T result = client.call(action, body, type, credentials);
        holdOffs.remove(identity);
        return result;
      } catch (OapiException e) {
        failure = OutscaleErrors.toBackendException(operation, e);
        reason = failure.reason();
        if (reason == Reason.AUTHENTICATION) {
          holdOffs.compute(identity, (id, previous) -> nextHoldOff(previous, e.getMessage()));
        }
      } catch (IOException e) {
        reason = Reason.UNAVAILABLE;
        failure = new BackendException(reason, operation + " failed: no answer from " + config.endpoint() + " ("
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
      }
      boolean retryable = reason == Reason.THROTTLED || (idempotent && reason == Reason.UNAVAILABLE);
      if (!retryable || attempt == MAX_ATTEMPTS) {
        LOG.debug("{} -> {}", operation, reason);
        throw failure;
      }
      sleep((reason == Reason.THROTTLED ? THROTTLED_WAIT : UNAVAILABLE_WAIT).multipliedBy(1L << (attempt - 1)), failure);
    }
  }

  private AuthHoldOff nextHoldOff(AuthHoldOff previous, String failure) {
    int failures = previous == null ? 1 : previous.failures() + 1;
    Duration wait = FIRST_AUTH_HOLD_OFF.multipliedBy(1L << Math.min(failures - 1, 10));
    if (wait.compareTo(MAX_AUTH_HOLD_OFF) > 0) {
      wait = MAX_AUTH_HOLD_OFF;
    }
    return new AuthHoldOff(failures, clock.instant().plus(wait), failure);
  }

  private static void sleep(Duration wait, BackendException failure) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  private static KeyInfo info(String user, OapiAccessKey k) {
    String operation = "reading access key " + k.accessKeyId();
    return new KeyInfo(
        k.accessKeyId(), user, status(k.state()), date(operation, k.creationDate()), date(operation, k.expirationDate()), k.tag());
  }

  /** Unknown states are not usable. */
  static KeyStatus status(String state) {
    return "ACTIVE".equals(state) ? KeyStatus.ACTIVE : KeyStatus.INACTIVE;
  }

  /** An unreadable date must fail loudly: dropping an expiry would make the next update clear it. */
  private static Instant date(String operation, String value) {
    try {
      return OapiClient.parseDate(value);
    } catch (IllegalArgumentException e) {
      throw new BackendException(Reason.UNAVAILABLE, operation + ": unreadable answer, " + e.getMessage(), e);
    }
  }

  private static String forUser(String user) {
    return Users.forUser("EIM user", user);
  }
}
