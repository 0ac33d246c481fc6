package io.keywarden.backend;

import java.time.Duration;

/**
 * A backend that issues temporary credentials of the provider's own identity instead of keys
 * (MinIO signed in through OpenID): nothing is created that could be listed, orphaned or deleted.
 */
public interface TemporaryCredentials {
  /**
   * New temporary credentials.
   *
   * @param lifetime how long they should last; null for the backend's default
   * @param policy a policy that restricts them below the identity's rights, or null
   */
  TemporaryKey issueTemporary(Duration lifetime, String policy);
}
