package io.keywarden.backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verbs every backend has. One instance talks to one account or endpoint with one set of
 * provider credentials. Implementations are thread-safe. What only some backends can do is a
 * capability interface of its own ({@link NativeExpiry}, {@link TaggedKeys},
 * {@link ChosenCredentials}, {@link InPlaceSettings}, {@link TemporaryCredentials}), which the
 * lifecycle asks for with {@code instanceof}.
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

  /** Deletes a key; a key that is already gone counts as deleted. */
  void delete(String user, String accessKeyId);

  /**
   * Proves a freshly created key is accepted by the backend (new AWS keys take seconds to work).
   * Throws {@link BackendException} with {@link BackendException.Reason#KEY_NOT_USABLE_YET} until it is.
   */
  void verify(IssuedKey key);

  @Override
  void close();
}
