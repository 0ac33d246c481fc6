package io.keywarden.backend;

import java.util.List;

/**
 * A backend whose keys carry a policy of their own that can only narrow their user's rights, and
 * that can tell a key what its user may do (MinIO: a key gets what both its policy and its user
 * allow, and accepts a policy that allows more).
 */
public interface PolicyReach {
  /**
   * What the key's own {@code policy} allows that the key's user may not do, one entry per action
   * (and resource); empty when the user may do all of it. Asked with the key's own credentials, so
   * the provider's identity needs no permission for it.
   *
   * @throws BackendException when the backend cannot tell (the key is disabled, the call failed)
   */
  List<String> beyondUser(String user, String accessKeyId, SecretValue secretKey, String policy);
}
