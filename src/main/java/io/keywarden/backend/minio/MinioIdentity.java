package io.keywarden.backend.minio;

import io.keywarden.backend.SecretValue;

/**
 * Who keywarden is at MinIO: stored credentials, or an OpenID sign-in ({@link MinioWebIdentity})
 * whose temporary credentials are renewed before they expire.
 */
public interface MinioIdentity {

  /** The credentials to sign the next request with. May call MinIO's STS; thread-safe. */
  MinioSigningKey signingKey();

  static MinioIdentity stored(String accessKey, SecretValue secretKey) {
    MinioSigningKey key = new MinioSigningKey(accessKey, secretKey);
    return new MinioIdentity() {
      @Override
      public MinioSigningKey signingKey() {
        return key;
      }

      @Override
      public String toString() {
        return "stored credentials " + accessKey;
      }
    };
  }
}
