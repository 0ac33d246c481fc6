package io.keywarden.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The pod-template annotation that restarts a consumer: {@code rotation.keywarden.io/<AccessKey
 * name>} = the Secret revision it must run with. One per AccessKey, so several AccessKeys on one
 * workload never overwrite each other; the same revision twice is no change, so it never restarts
 * a workload twice.
 */
public final class RestartAnnotation {
  public static final String PREFIX = "rotation.keywarden.io/";
  /** The API server's limit for the name part of an annotation key. */
  private static final int MAX_NAME = 63;

  private RestartAnnotation() {}

  /**
   * The key for one AccessKey. Names longer than an annotation's name part allows keep their
   * first characters and end in a digest of the whole name, so two long names never share a key.
   */
  public static String key(String accessKeyName) {
    if (accessKeyName.length() <= MAX_NAME) {
      return PREFIX + accessKeyName;
    }
    String digest = HexFormat.of().formatHex(sha256(accessKeyName)).substring(0, 12);
    String head = accessKeyName.substring(0, MAX_NAME - digest.length() - 1).replaceAll("[-.]+$", "");
    return PREFIX + head + "-" + digest;
  }

  public static String value(long revision) {
    return Long.toString(revision);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
