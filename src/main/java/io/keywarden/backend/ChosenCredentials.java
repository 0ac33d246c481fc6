package io.keywarden.backend;

import java.util.Optional;

/**
 * A backend whose {@link KeyBackend#create} takes client-chosen credentials
 * ({@link CreateKeyRequest#chosenAccessKey()}, MinIO). keywarden chooses them itself, records the
 * access key id in the create fence and can publish the Secret before the key exists, so a crash
 * leaves the Secret as the one record of what to create.
 */
public interface ChosenCredentials {
  /** A fresh pair in the backend's format. */
  @AnsweredLocally
  ChosenKey generate();

  /** Why the backend would refuse this access key (from spec.credentialsRef), or empty when it fits. */
  @AnsweredLocally
  Optional<String> accessKeyProblem(String accessKeyId);

  /** Why the backend would refuse this secret key (from spec.credentialsRef), or empty when it fits. */
  @AnsweredLocally
  Optional<String> secretKeyProblem(SecretValue secretKey);

  /** Client-chosen credentials; the secret key never appears in {@link #toString()}. */
  record ChosenKey(String accessKeyId, SecretValue secretKey) {}
}
