package io.keywarden.backend.minio;

import io.keywarden.backend.BackendException;

/**
 * A client-chosen access key exists already and is not ours to adopt: it belongs to another user,
 * or to the same user with a different secret key. Access keys are unique across a MinIO
 * deployment, so retrying cannot help: the AccessKey needs other credentials.
 */
public final class AccessKeyTakenException extends BackendException {

  private final String accessKeyId;

  AccessKeyTakenException(String accessKeyId, String message) {
    super(Reason.INVALID_REQUEST, message);
    this.accessKeyId = accessKeyId;
  }

  public String accessKeyId() {
    return accessKeyId;
  }
}
