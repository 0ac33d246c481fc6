package io.keywarden.backend;

import java.util.Optional;

/**
 * A backend whose keys carry a name, a description and a policy of their own, changed in place
 * (MinIO).
 */
public interface InPlaceSettings {
  /**
   * Applies name, description, policy, expiry and status to an existing key in place.
   *
   * @return whether anything changed
   */
  boolean update(String user, String accessKeyId, KeySettings settings);

  /** Why the backend would refuse this inline policy, or empty when it fits. */
  @AnsweredLocally
  Optional<String> policyProblem(String policy);
}
