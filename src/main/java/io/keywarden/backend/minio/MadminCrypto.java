package io.keywarden.backend.minio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * MinIO's encrypted admin payloads (madmin-go {@code EncryptData} / {@code DecryptData}): {@code
 * salt (32) || algorithm id (1) || nonce (8) || sio stream}, sealed with a key derived from the
 * caller's secret key and the salt.
 *
 * <p>Ids: 0 Argon2id + AES-256-GCM, what this class writes and MinIO writes where AES is fast; 1
 * Argon2id + ChaCha20-Poly1305, what MinIO writes elsewhere; 2 PBKDF2-SHA256 + AES-256-GCM, what
 * MinIO writes in FIPS mode. All three are read.
 *
 * <p>Argon2id works in the caller's reusable memory ({@link AdminCallLimit.Call#argon2Memory()}).
 * Exceptions name what failed, never the secret or the payload.
 */
final class MadminCrypto {
  static final int SALT_BYTES = 32;
  static final int HEADER_BYTES = SALT_BYTES + 1 + SioStream.NONCE_BYTES;
  static final byte ARGON2ID_AES_GCM = 0;
  static final byte ARGON2ID_CHACHA20_POLY1305 = 1;
  static final byte PBKDF2_AES_GCM = 2;
  private static final int KEY_BYTES = 32;
  private static final int PBKDF2_ITERATIONS = 8192;
  private static final SecureRandom RANDOM = new SecureRandom();

  private MadminCrypto() {}

  /** The plaintext as MinIO expects an admin request body: Argon2id and AES-256-GCM. */
  static byte[] encrypt(byte[] plaintext, String secretKey, long[] argon2Memory) throws GeneralSecurityException {
    byte[] salt = random(SALT_BYTES);
    byte[] nonce = random(SioStream.NONCE_BYTES);
    byte[] key = argon2Key(secretKey, salt, argon2Memory);
    try {
      byte[] sealed = new SioStream(SioStream.Algorithm.AES_256_GCM, key).seal(plaintext, nonce);
      byte[] payload = new byte[HEADER_BYTES + sealed.length];
      System.arraycopy(salt, 0, payload, 0, SALT_BYTES);
      payload[SALT_BYTES] = ARGON2ID_AES_GCM;
      System.arraycopy(nonce, 0, payload, SALT_BYTES + 1, SioStream.NONCE_BYTES);
      System.arraycopy(sealed, 0, payload, HEADER_BYTES, sealed.length);
      return payload;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * The plaintext of a payload MinIO encrypted with this secret key.
   *
   * @throws GeneralSecurityException when the payload is cut short, names an unknown algorithm, or
   *     is not authentic ({@link javax.crypto.AEADBadTagException}): altered, or sealed with
   *     another key
   */
  static byte[] decrypt(byte[] payload, String secretKey, long[] argon2Memory) throws GeneralSecurityException {
    if (payload.length < HEADER_BYTES) {
      throw new GeneralSecurityException("MinIO's payload is shorter than its " + HEADER_BYTES + "-byte header");
    }
    byte[] salt = Arrays.copyOfRange(payload, 0, SALT_BYTES);
    byte id = payload[SALT_BYTES];
    byte[] nonce = Arrays.copyOfRange(payload, SALT_BYTES + 1, HEADER_BYTES);
    byte[] key;
    SioStream.Algorithm algorithm;
    switch (id) {
      case ARGON2ID_AES_GCM -> {
        key = argon2Key(secretKey, salt, argon2Memory);
        algorithm = SioStream.Algorithm.AES_256_GCM;
      }
      case ARGON2ID_CHACHA20_POLY1305 -> {
        key = argon2Key(secretKey, salt, argon2Memory);
        algorithm = SioStream.Algorithm.CHACHA20_POLY1305;
      }
      case PBKDF2_AES_GCM -> {
        key = pbkdf2Key(secretKey, salt);
        algorithm = SioStream.Algorithm.AES_256_GCM;
      }
      default -> throw new GeneralSecurityException("MinIO's payload names an unknown algorithm id " + id);
    }
    try {
      return new SioStream(algorithm, key).open(payload, HEADER_BYTES, nonce);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] argon2Key(String secretKey, byte[] salt, long[] memory) {
    byte[] password = secretKey.getBytes(StandardCharsets.UTF_8);
    try {
      return Argon2id.MADMIN.derive(password, salt, KEY_BYTES, memory);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }

  /** PBKDF2-HMAC-SHA256; the JDK encodes the password's characters as UTF-8, as Go's []byte(password) does. */
  private static byte[] pbkdf2Key(String secretKey, byte[] salt) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(secretKey.toCharArray(), salt, PBKDF2_ITERATIONS, 8 * KEY_BYTES);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] random(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return random;
  }
}
