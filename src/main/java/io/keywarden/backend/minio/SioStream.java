package io.keywarden.backend.minio;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stream format of secure-io/sio-go, which MinIO's admin payloads use: the plaintext is cut
 * into 16 KiB fragments, each sealed with the AEAD under nonce {@code n || seq} (the stream's 8-byte
 * nonce, then the fragment's number, 32-bit little-endian, from 1). Every fragment is also
 * authenticated with {@code flag || tag}, where tag seals nothing under sequence number 0 and flag
 * is 0x80 on the last fragment and 0 before it, so that fragments cannot be reordered, dropped or
 * cut off unnoticed. An empty plaintext is one empty last fragment.
 */
final class SioStream {
  /** The stream's nonce; the AEAD's 12-byte nonce adds the 4-byte fragment number. */
  static final int NONCE_BYTES = 8;
  private static final int FRAGMENT_BYTES = 16 * 1024;
  private static final int TAG_BYTES = 16;
  private static final byte LAST = (byte) 0x80;

  private final Algorithm algorithm;
  private final SecretKeySpec key;

  /** The AEADs MinIO's payloads name, as the JDK provides them. */
  enum Algorithm {
    AES_256_GCM("AES/GCM/NoPadding", "AES"),
    CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20");

    private final String transformation;
    private final String keyAlgorithm;

    Algorithm(String transformation, String keyAlgorithm) {
      this.transformation = transformation;
      this.keyAlgorithm = keyAlgorithm;
    }

    AlgorithmParameterSpec nonce(byte[] nonce) {
      return this == AES_256_GCM ? new GCMParameterSpec(8 * TAG_BYTES, nonce) : new IvParameterSpec(nonce);
    }
  }

  SioStream(Algorithm algorithm, byte[] key) {
    this.algorithm = algorithm;
    this.key = new SecretKeySpec(key, algorithm.keyAlgorithm);
  }

  /** The fragments of the plaintext, sealed. */
  byte[] seal(byte[] plaintext, byte[] streamNonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(algorithm.transformation);
    byte[] ad = associatedData(cipher, streamNonce);
    int fragments = Math.max(1, (plaintext.length + FRAGMENT_BYTES - 1) / FRAGMENT_BYTES);
    ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + fragments * TAG_BYTES);
    for (int seq = 1; seq <= fragments; seq++) {
      int from = (seq - 1) * FRAGMENT_BYTES;
      int length = Math.min(FRAGMENT_BYTES, plaintext.length - from);
      ad[0] = seq == fragments ? LAST : 0;
      cipher.init(Cipher.ENCRYPT_MODE, key, algorithm.nonce(fragmentNonce(streamNonce, seq)));
      cipher.updateAAD(ad);
      out.writeBytes(cipher.doFinal(plaintext, from, length));
    }
    return out.toByteArray();
  }

  /**
   * The plaintext of sealed fragments starting at {@code offset}. Fragments are read as sio-go reads
   * them: a full-size one followed by more bytes is not the last, whatever remains is.
   *
   * @throws AEADBadTagException when any fragment, or the stream's end, is not authentic
   */
  byte[] open(byte[] sealed, int offset, byte[] streamNonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(algorithm.transformation);
    byte[] ad = associatedData(cipher, streamNonce);
    ByteArrayOutputStream out = new ByteArrayOutputStream(sealed.length);
    int at = offset;
    for (int seq = 1; ; seq++) {
      int remaining = sealed.length - at;
      boolean last = remaining <= FRAGMENT_BYTES + TAG_BYTES;
      if (last && remaining < TAG_BYTES) {
        throw new AEADBadTagException("the payload ends inside a fragment");
      }
      int length = last ? remaining : FRAGMENT_BYTES + TAG_BYTES;
      ad[0] = last ? LAST : 0;
      cipher.init(Cipher.DECRYPT_MODE, key, algorithm.nonce(fragmentNonce(streamNonce, seq)));
      cipher.updateAAD(ad);
      byte[] plaintext = cipher.doFinal(sealed, at, length);
      out.writeBytes(plaintext);
      Arrays.fill(plaintext, (byte) 0);
      at += length;
      if (last) {
        return out.toByteArray();
      }
    }
  }

  /** 0, then the tag of sealing nothing under fragment number 0; the first byte is the last-fragment flag. */
  private byte[] associatedData(Cipher cipher, byte[] streamNonce) throws GeneralSecurityException {
    if (streamNonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("sio streams have " + NONCE_BYTES + "-byte nonces");
    }
    cipher.init(Cipher.ENCRYPT_MODE, key, algorithm.nonce(fragmentNonce(streamNonce, 0)));
    byte[] tag = cipher.doFinal();
    byte[] ad = new byte[1 + TAG_BYTES];
    System.arraycopy(tag, 0, ad, 1, TAG_BYTES);
    return ad;
  }

  private static byte[] fragmentNonce(byte[] streamNonce, int seq) {
    byte[] nonce = Arrays.copyOf(streamNonce, NONCE_BYTES + 4);
    for (int i = 0; i < 4; i++) {
      nonce[NONCE_BYTES + i] = (byte) (seq >>> (8 * i));
    }
    return nonce;
  }
}
