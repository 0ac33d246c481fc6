package io.keywarden.backend.minio;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywarden.backend.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules MinIO applies to an access key's fields, checked before a request is sent, and the
 * local generator of client-chosen credentials.
 *
 * <p>Every check returns a message saying what is wrong, without the field's name (the caller adds
 * it), or empty when the value is valid. No message ever repeats a secret key.
 */
public final class MinioKeys {

  /** MinIO: 3 to 20 bytes ({@code internal/auth}: accessKeyMinLen, accessKeyMaxLen). */
  public static final int MIN_ACCESS_KEY = 3;
  public static final int MAX_ACCESS_KEY = 20;
  /** MinIO: 8 to 40 bytes. */
  public static final int MIN_SECRET_KEY = 8;
  public static final int MAX_SECRET_KEY = 40;
  /** madmin-go: a name is at most 32 bytes, a description at most 256. */
  public static final int MAX_NAME = 32;
  public static final int MAX_DESCRIPTION = 256;
  /** The documented limit of {@code mc admin accesskey create --policy}. */
  public static final int MAX_POLICY = 2048;
  /** MinIO refuses expiries closer than 15 minutes or further than 365 days from now. */
  public static final Duration MIN_EXPIRY = Duration.ofMinutes(15);
  public static final Duration MAX_EXPIRY = Duration.ofDays(365);

  /** What MinIO itself generates access keys from. */
  static final String ACCESS_KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  /** MinIO's secret keys are base64 with '/' replaced by '+'. */
  static final String SECRET_KEY_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+";

  /**
   * madmin-go documents names as "ASCII letters, digits, underscores and hyphens, starting with a
   * letter", but its regular expression is unanchored and so checks only the first character. The
   * documented rule is enforced here, so a name keywarden accepts stays valid if MinIO fixes it.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  /** Trailing text after the policy object would be dropped silently otherwise. */
  /** Statement fields MinIO holds as sets. */
  private static final Set<String> SET_FIELDS = Set.of("Action", "NotAction", "Resource", "NotResource");

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private MinioKeys() {}

  /**
   * A client-chosen access key. MinIO wants 3 to 20 bytes without leading or trailing spaces and
   * no {@code =} or {@code ,} (they split the SigV4 {@code Authorization} header). Beyond MinIO,
   * only printable ASCII is accepted: the key travels in that header and in URLs.
   */
  public static Optional<String> validateAccessKey(String accessKey) {
    if (accessKey == null || accessKey.isEmpty()) {
      return Optional.of("must not be empty");
    }
    for (int i = 0; i < accessKey.length(); i++) {
      char c = accessKey.charAt(i);
      if (c == '=' || c == ',') {
        return Optional.of("must not contain '" + c + "' (position " + (i + 1) + ")");
      }
      if (c < 0x21 || c > 0x7e) {
        return Optional.of(
            "may contain only printable ASCII characters without spaces, found "
                + String.format("U+%04X", (int) c) + " at position " + (i + 1));
      }
    }
    int length = accessKey.length();
    if (length < MIN_ACCESS_KEY || length > MAX_ACCESS_KEY) {
      return Optional.of(
          "is " + length + " characters long: MinIO accepts " + MIN_ACCESS_KEY + " to " + MAX_ACCESS_KEY);
    }
    return Optional.empty();
  }

  /** A client-chosen secret key: 8 to 40 bytes. The message never repeats the value. */
  public static Optional<String> validateSecretKey(SecretValue secretKey) {
    if (secretKey == null || secretKey.reveal().isEmpty()) {
      return Optional.of("must not be empty");
    }
    int bytes = secretKey.reveal().getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_SECRET_KEY || bytes > MAX_SECRET_KEY) {
      return Optional.of(
          "is " + bytes + " bytes long: MinIO accepts " + MIN_SECRET_KEY + " to " + MAX_SECRET_KEY);
    }
    return Optional.empty();
  }

  public static Optional<String> validateName(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
      return Optional.of("is longer than " + MAX_NAME + " characters");
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.of("must start with a letter and contain only ASCII letters, digits, '_' and '-'");
    }
    return Optional.empty();
  }

  public static Optional<String> validateDescription(String description) {
    if (description != null && description.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTION) {
      return Optional.of("is longer than " + MAX_DESCRIPTION + " bytes");
    }
    return Optional.empty();
  }

  /**
   * An inline policy: a JSON object with at least one statement, at most {@value #MAX_POLICY}
   * characters. A policy without statements would silently mean "everything the user may do" to
   * MinIO, so it is refused (as {@code mc} does). MinIO checks the policy's grammar itself.
   */
  public static Optional<String> validatePolicy(String policy) {
    if (policy == null) {
      return Optional.empty();
    }
    int length = policy.codePointCount(0, policy.length());
    if (length > MAX_POLICY) {
      return Optional.of("is " + length + " characters long: MinIO accepts at most " + MAX_POLICY);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(policy);
    } catch (JacksonException e) {
      // Jackson's own message quotes the input; the location is enough to find the mistake.
      return Optional.of(
          e.getLocation() == null
              ? "is not valid JSON"
              : "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                  + e.getLocation().getColumnNr() + ")");
    }
    if (tree == null || !tree.isObject()) {
      return Optional.of("must be a JSON object");
    }
    JsonNode statement = tree.get("Statement");
    if (statement == null || statement.isEmpty() || !(statement.isArray() || statement.isObject())) {
      return Optional.of("has no Statement: an empty policy would grant everything the user may do");
    }
    return Optional.empty();
  }

  /**
   * Whether two policies say the same as far as MinIO's round trip goes: MinIO keeps actions,
   * resources and condition values in sets and writes them back in random order, and writes a
   * single statement, action or resource as a one-element list. Statement order is kept.
   */
  public static boolean samePolicy(JsonNode a, JsonNode b) {
    return Objects.equals(canonical(a, ""), canonical(b, ""));
  }

  private static JsonNode canonical(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    if ((node.isTextual() && SET_FIELDS.contains(field)) || (node.isObject() && "Statement".equals(field))) {
      return JSON.createArrayNode().add(canonical(node, ""));
    }
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), canonical(e.getValue(), e.getKey())));
      return out;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(item -> items.add(canonical(item, "")));
      if (items.stream().allMatch(JsonNode::isTextual)) {
        ArrayNode set = JSON.createArrayNode();
        new TreeSet<>(items.stream().map(JsonNode::asText).toList()).forEach(set::add);
        return set;
      }
      return JSON.createArrayNode().addAll(items);
    }
    return node;
  }

  /** MinIO's window for a key's expiry: at least 15 minutes and at most 365 days after {@code now}. */
  public static Optional<String> validateExpiry(Instant expiresAt, Instant now) {
    if (expiresAt == null) {
      return Optional.empty();
    }
    if (expiresAt.isBefore(now.plus(MIN_EXPIRY))) {
      return Optional.of(
          expiresAt + " is less than " + MIN_EXPIRY.toMinutes() + " minutes away: MinIO refuses nearer expiries");
    }
    if (expiresAt.isAfter(now.plus(MAX_EXPIRY))) {
      return Optional.of(expiresAt + " is more than " + MAX_EXPIRY.toDays() + " days away: MinIO refuses later expiries");
    }
    return Optional.empty();
  }

  /** A new access key as MinIO makes them: 20 characters from {@code [0-9A-Z]}. */
  public static String generateAccessKey() {
    return random(ACCESS_KEY_ALPHABET, MAX_ACCESS_KEY);
  }

  /** A new secret key as MinIO makes them: 40 characters from {@code [A-Za-z0-9+]}. */
  public static SecretValue generateSecretKey() {
    return SecretValue.of(random(SECRET_KEY_ALPHABET, MAX_SECRET_KEY));
  }

  private static String random(String alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
    return new String(out);
  }
}
