package io.keywarden.reconciler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of the settings a backend applies in place (name, description, policy), recorded in
 * status so a change to any of them is noticed without reading them back.
 */
final class SettingsDigest {
  private SettingsDigest() {}

  static String of(String name, String description, String policy) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {name, description, policy}) {
        sha.update(part == null ? new byte[] {0} : ("=" + part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x1f);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
