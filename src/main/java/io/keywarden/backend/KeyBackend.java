package io.keywarden.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The small surface every backend implements. One instance talks to one account or endpoint with
 * one set of provider credentials. Implementations are thread-safe.
 *
 * <p>{@code user} is the backend's user name, or {@code null} for the caller's own identity (as the
 * reference CLIs do when the user argument is omitted).
 */
public interface KeyBackend extends AutoCloseable {

  /** Read-only check of the provider credentials; names the authenticated identity. */
  Identity whoAmI();

  /** Creates one key. Called at most once per create fence. */
  IssuedKey create(CreateKeyRequest request);

  /** Every key the user holds, active or not. */
  List<KeyInfo> list(String user);

  /** One key of the user, or empty when the backend does not know it (any more). */
  default Optional<KeyInfo> find(String user, String accessKeyId) {
    return list(user).stream().filter(k -> k.accessKeyId().equals(accessKeyId)).findFirst();
  }

  /**
   * The user's keys among {@code accessKeyIds}, by id; ids the backend does not know (any more) are
   * absent. By default one listing; backends whose listing grows costly with the user's keys look
   * each key up instead.
   */
  default Map<String, KeyInfo> lookup(String user, Set<String> accessKeyIds) {
    Map<String, KeyInfo> found = new HashMap<>();
    for (KeyInfo key : list(user)) {
      if (accessKeyIds.contains(key.accessKeyId())) {
        found.put(key.accessKeyId(), key);
      }
    }
    return found;
  }

  void setStatus(String user, String accessKeyId, KeyStatus status);

  /**
   * Changes a key's native expiry in place ({@code null}: never expires). Only called on backends
   * that {@link #expiresKeysNatively()}.
   */
  default void setExpiry(String user, String accessKeyId, Instant expiresAt) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no native key expiry");
  }

  /** Deletes a key; a key that is already gone counts as deleted. */
  void delete(String user, String accessKeyId);

  /**
   * Proves a freshly created key is accepted by the backend (new AWS keys take seconds to work).
   * Throws {@link BackendException} with {@link BackendException.Reason#KEY_NOT_USABLE_YET} until it is.
   */
  void verify(IssuedKey key);

  /** Whether the backend expires keys itself; when it does not, keywarden deletes them at expiry. */
  boolean expiresKeysNatively();

  /**
   * Whether created keys carry {@link CreateKeyRequest#nonce()} as {@link KeyInfo#tag()}: then a
   * crash recovery finds exactly the keys of the interrupted create by tag, instead of by time.
   */
  default boolean tagsKeys() {
    return false;
  }

  /** The user's keys carrying the tag, found by the backend itself; only when {@link #tagsKeys()}. */
  default List<KeyInfo> findByTag(String user, String tag) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not tag keys");
  }

  /**
   * Whether {@link #create} takes client-chosen credentials ({@link CreateKeyRequest#chosenAccessKey()}).
   * For such backends keywarden chooses the credentials itself, records the access key id in the
   * create fence and can publish the Secret before the key exists (DESIGN.md, key lifecycle item 1).
   */
  default boolean acceptsChosenCredentials() {
    return false;
  }

  /**
   * Whether keys carry a name, a description and a policy of their own that {@link #update}
   * changes in place.
   */
  default boolean updatesKeySettings() {
    return false;
  }

  /**
   * Applies name, description, policy, expiry and status to an existing key in place. Only called
   * on backends that {@link #updatesKeySettings()}.
   *
   * @return whether anything changed
   */
  default boolean update(String user, String accessKeyId, KeySettings settings) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-key settings");
  }

  /**
   * Whether the backend issues temporary credentials of the provider's own identity instead of keys
   * (MinIO signed in through OpenID): nothing is created that could be listed, orphaned or deleted.
   */
  default boolean issuesTemporaryCredentials() {
    return false;
  }

  /**
   * New temporary credentials, only on backends that {@link #issuesTemporaryCredentials()}.
   *
   * @param lifetime how long they should last; null for the backend's default
   * @param policy a policy that restricts them below the identity's rights, or null
   */
  default TemporaryKey issueTemporary(Duration lifetime, String policy) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " issues no temporary credentials");
  }

  @Override
  void close();
}
