package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.backend.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MinioKeysTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "myaccesskey", // the mc admin accesskey create example
        "abc", // shortest
        "ABCDEFGHIJ0123456789", // longest, MinIO's own alphabet
        "svc/ci-user_1.x+y", // printable ASCII other than = and ,
        "~!@#$%^&*()[]{}<>?;"
      })
  void acceptsAccessKeysMinioAccepts(String accessKey) {
    assertThat(MinioKeys.validateAccessKey(accessKey)).isEmpty();
  }

  static Stream<Arguments> invalidAccessKeys() {
    return Stream.of(
        Arguments.of(null, "must not be empty"),
        Arguments.of("", "must not be empty"),
        Arguments.of("ab", "is 2 characters long: MinIO accepts 3 to 20"),
        Arguments.of("x".repeat(21), "is 21 characters long"),
        Arguments.of("a=b", "must not contain '='"),
        Arguments.of("a,bc", "must not contain ','"),
        Arguments.of(" abc", "found U+0020 at position 1"),
        Arguments.of("ab c", "found U+0020 at position 3"),
        Arguments.of("abc\t", "found U+0009 at position 4"),
        Arguments.of("cl\u00e9", "found U+00E9 at position 3"));
  }

  @ParameterizedTest
  @MethodSource("invalidAccessKeys")
  void explainsInvalidAccessKeys(String accessKey, String expected) {
    assertThat(MinioKeys.validateAccessKey(accessKey)).hasValueSatisfying(m -> assertThat(m).contains(expected));
  }

  static Stream<Arguments> secretKeys() {
    return Stream.of(
        Arguments.of("mysecretkey", null), // the mc example
        Arguments.of("12345678", null),
        Arguments.of("x".repeat(40), null),
        Arguments.of("", "must not be empty"),
        Arguments.of("1234567", "is 7 bytes long: MinIO accepts 8 to 40"),
        Arguments.of("x".repeat(41), "is 41 bytes long"),
        // MinIO counts bytes: 20 two-byte characters are 40 bytes, 21 are too many
        Arguments.of("\u00e9".repeat(20), null),
        Arguments.of("\u00e9".repeat(21), "is 42 bytes long"));
  }

  @ParameterizedTest
  @MethodSource("secretKeys")
  void checksSecretKeyLengthsWithoutRepeatingThem(String secret, String expected) {
    var problem = MinioKeys.validateSecretKey(SecretValue.of(secret));
    if (expected == null) {
      assertThat(problem).isEmpty();
    } else {
      assertThat(problem).hasValueSatisfying(m -> assertThat(m).contains(expected));
      if (!secret.isEmpty()) {
        assertThat(problem.get()).doesNotContain(secret);
      }
    }
  }

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of(null, null),
        Arguments.of("", null),
        Arguments.of("ci-key", null),
        Arguments.of("Team_A-build2", null),
        Arguments.of("a".repeat(32), null),
        Arguments.of("a".repeat(33), "longer than 32"),
        Arguments.of("2fast", "must start with a letter"),
        Arguments.of("-key", "must start with a letter"),
        // MinIO's unanchored check would let these pass; the documented rule does not
        Arguments.of("Tester's Access Key", "only ASCII letters, digits"),
        Arguments.of("key.prod", "only ASCII letters, digits"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void checksNames(String name, String expected) {
    if (expected == null) {
      assertThat(MinioKeys.validateName(name)).isEmpty();
    } else {
      assertThat(MinioKeys.validateName(name)).hasValueSatisfying(m -> assertThat(m).contains(expected));
    }
  }

  @Test
  void limitsDescriptionsTo256Bytes() {
    assertThat(MinioKeys.validateDescription(null)).isEmpty();
    assertThat(MinioKeys.validateDescription("Access key for tester")).isEmpty();
    assertThat(MinioKeys.validateDescription("d".repeat(256))).isEmpty();
    assertThat(MinioKeys.validateDescription("d".repeat(257))).hasValueSatisfying(m -> assertThat(m).contains("256 bytes"));
    assertThat(MinioKeys.validateDescription("\u00e9".repeat(129))).isPresent();
  }

  private static final String READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}";

  static Stream<Arguments> policies() {
    String padded = READ.replace("\"Effect\"", " ".repeat(2048 - READ.length()) + "\"Effect\"");
    return Stream.of(
        Arguments.of(null, null),
        Arguments.of(READ, null),
        Arguments.of("{\"Statement\":{\"Effect\":\"Allow\"}}", null), // one statement as an object; MinIO judges the rest
        Arguments.of(padded, null), // exactly 2048 characters
        Arguments.of(padded + " ", "is 2049 characters long: MinIO accepts at most 2048"),
        Arguments.of("{\"Version\":", "is not valid JSON (line 1"),
        Arguments.of(READ + "}", "is not valid JSON"),
        Arguments.of("[]", "must be a JSON object"),
        Arguments.of("\"s3:*\"", "must be a JSON object"),
        Arguments.of("{}", "has no Statement"),
        Arguments.of("{\"Version\":\"2012-10-17\",\"Statement\":[]}", "has no Statement"));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void checksPolicies(String policy, String expected) {
    if (expected == null) {
      assertThat(MinioKeys.validatePolicy(policy)).isEmpty();
    } else {
      assertThat(MinioKeys.validatePolicy(policy)).hasValueSatisfying(m -> assertThat(m).contains(expected));
    }
  }

  @Test
  void countsPolicyLengthInCharactersNotBytes() {
    String accents = READ.replace("b/*", "b/" + "\u00e9".repeat(2048 - READ.length() + 1));
    assertThat(accents.codePointCount(0, accents.length())).isEqualTo(2048);
    assertThat(MinioKeys.validatePolicy(accents)).isEmpty();
  }

  static Stream<Arguments> policyPairs() {
    String read = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}]}";
    return Stream.of(
        Arguments.of(read, read, true),
        // as MinIO writes it back: its sets in another order
        Arguments.of(read, read.replace("\"s3:GetObject\",\"s3:ListBucket\"", "\"s3:ListBucket\",\"s3:GetObject\""), true),
        Arguments.of(
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}",
            true),
        Arguments.of(read, read.replace("s3:ListBucket", "s3:PutObject"), false),
        Arguments.of(read, read.replace("Allow", "Deny"), false),
        Arguments.of(read, null, false),
        Arguments.of(null, null, true));
  }

  @ParameterizedTest
  @MethodSource("policyPairs")
  void comparesPoliciesAsMinioKeepsThem(String a, String b, boolean same) throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(MinioKeys.samePolicy(a == null ? null : json.readTree(a), b == null ? null : json.readTree(b))).isEqualTo(same);
  }

  static Stream<Arguments> expiries() {
    return Stream.of(
        Arguments.of(null, null),
        Arguments.of(NOW.plus(Duration.ofMinutes(15)), null),
        Arguments.of(NOW.plus(Duration.ofDays(365)), null),
        Arguments.of(NOW.plus(Duration.ofMinutes(15)).minusSeconds(1), "less than 15 minutes away"),
        Arguments.of(NOW.minusSeconds(60), "less than 15 minutes away"),
        Arguments.of(NOW.plus(Duration.ofDays(365)).plusSeconds(1), "more than 365 days away"));
  }

  @ParameterizedTest
  @MethodSource("expiries")
  void checksMiniosExpiryWindow(Instant expiresAt, String expected) {
    if (expected == null) {
      assertThat(MinioKeys.validateExpiry(expiresAt, NOW)).isEmpty();
    } else {
      assertThat(MinioKeys.validateExpiry(expiresAt, NOW)).hasValueSatisfying(m -> assertThat(m).contains(expected));
    }
  }

  @Test
  void generatesCredentialsShapedLikeMiniosOwn() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String accessKey = MinioKeys.generateAccessKey();
      SecretValue secret = MinioKeys.generateSecretKey();
      assertThat(accessKey).matches("[0-9A-Z]{20}");
      assertThat(secret.reveal()).matches("[A-Za-z0-9+]{40}");
      assertThat(MinioKeys.validateAccessKey(accessKey)).isEmpty();
      assertThat(MinioKeys.validateSecretKey(secret)).isEmpty();
      assertThat(seen.add(accessKey)).isTrue();
    }
  }
}
