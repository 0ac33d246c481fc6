package io.keywarden.testsupport.outscale;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-side check of the two request signatures the official Outscale clients send, written from
 * their published algorithms (never from a client's code):
 *
 * <ul>
 *   <li>{@code OSC4-HMAC-SHA256}: osc-cli and osc-sdk-python. AWS SigV4 with the names changed: the
 *       key chain starts from {@code "OSC4" + secret}, the scope ends in {@code osc4_request}, the
 *       date travels in {@code X-Osc-Date}. osc-cli signs {@code host;x-osc-date;x-osc-target} over
 *       {@code /api/latest/<Action>}, osc-sdk-python {@code content-type;host;x-osc-date} over
 *       {@code /api/v1/<Action>}.
 *   <li>{@code AWS4-HMAC-SHA256}: the official Java and Go SDKs sign with the AWS SDKs' SigV4
 *       signers ({@code X-Amz-Date}, {@code aws4_request}), and so does keywarden.
 * </ul>
 *
 * The check is generic over {@code SignedHeaders}, as a SigV4 server's is: it rebuilds the canonical
 * request from the headers the client says it signed. It insists that {@code host} and the date
 * header are among them and that the date is within 15 minutes of the server's clock. The scope's
 * region must be the stand-in's; its service may be {@code api} (CLI, Python and Java SDKs) or
 * {@code oapi} (Go SDK). (The Go SDK also signs every region as eu-west-2, which this stricter
 * check would refuse outside eu-west-2: the stand-in runs no Go client.)
 *
 * <p>Two leniencies, both only because the stand-in listens on 127.0.0.1 and a random port where
 * the API listens on {@code https://api.<region>.outscale.com}: the signed {@code host} may lack
 * the port (osc-sdk-python signs the host name only, which on port 443 is the whole Host header),
 * and the path's duplicate slashes are collapsed (osc-cli sends {@code //api/latest/<Action>} and
 * signs {@code /api/latest/<Action>}).
 */
final class SignatureCheck {

  static final String OSC4 = "OSC4-HMAC-SHA256";
  static final String AWS4 = "AWS4-HMAC-SHA256";

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(\\S+) Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/([^/,\\s]+),\\s*"
              + "SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter BASIC_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final Set<String> SERVICES = Set.of("api", "oapi");

  /** What the Authorization header claims; {@link #verify} decides whether it holds. */
  record Claim(String algorithm, String accessKeyId, String scope, String[] signedHeaders, String signature,
      String scopeDate, String region, String service, String terminator) {}

  private SignatureCheck() {}

  /** Parses a signature Authorization header; null when it is not one. */
  static Claim parse(String authorization) {
    Matcher m = AUTHORIZATION.matcher(authorization == null ? "" : authorization.strip());
    if (!m.matches() || !(m.group(1).equals(OSC4) || m.group(1).equals(AWS4))) {
      return null;
    }
    String scope = m.group(3) + "/" + m.group(4) + "/" + m.group(5) + "/" + m.group(6);
    return new Claim(
        m.group(1), m.group(2), scope, m.group(7).split(";"), m.group(8), m.group(3), m.group(4), m.group(5), m.group(6));
  }

  /**
   * Null when the signature holds, else why not (for the server log; the client sees only the API's
   * authentication error).
   *
   * @param header the request's header values by lower-case name (first value)
   */
  static String verify(
      Claim claim, String secretKey, String method, String path, String query,
      Function<String, String> header, byte[] body, String region, Instant now) {
    boolean osc = claim.algorithm().equals(OSC4);
    String expectedTerminator = osc ? "osc4_request" : "aws4_request";
    if (!claim.terminator().equals(expectedTerminator)) {
      return "scope ends in " + claim.terminator() + ", expected " + expectedTerminator;
    }
    if (!claim.region().equals(region)) {
      return "scope region " + claim.region() + ", expected " + region;
    }
    if (!SERVICES.contains(claim.service())) {
      return "scope service " + claim.service() + ", expected one of " + SERVICES;
    }
    Set<String> signed = Set.of(claim.signedHeaders());
    String dateHeader = signed.contains("x-osc-date") ? "x-osc-date" : signed.contains("x-amz-date") ? "x-amz-date" : null;
    if (dateHeader == null || !signed.contains("host")) {
      return "host and the date header must be signed, SignedHeaders=" + String.join(";", claim.signedHeaders());
    }
    String date = header.apply(dateHeader);
    Instant signedAt;
    try {
      signedAt = Instant.from(BASIC_DATE_TIME.parse(date == null ? "" : date));
    } catch (DateTimeParseException e) {
      return dateHeader + " is not YYYYMMDDTHHMMSSZ: " + date;
    }
    if (!date.startsWith(claim.scopeDate())) {
      return "scope date " + claim.scopeDate() + " is not the day of " + date;
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return "signed at " + signedAt + ", more than " + MAX_SKEW + " from " + now;
    }
    String payloadHash = hex(sha256(body));
    String claimedHash = header.apply("x-amz-content-sha256");
    if (signed.contains("x-amz-content-sha256") && !payloadHash.equals(claimedHash)) {
      return "x-amz-content-sha256 does not match the body";
    }
    for (String name : claim.signedHeaders()) {
      if (header.apply(name) == null) {
        return "signed header " + name + " is missing";
      }
    }
    byte[] key = ((osc ? "OSC4" : "AWS4") + secretKey).getBytes(StandardCharsets.UTF_8);
    for (String part : claim.scope().split("/")) {
      key = hmac(key, part);
    }
    String canonicalPath = path.replaceAll("/{2,}", "/");
    String host = header.apply("host");
    for (String signedHost : host.contains(":") ? List.of(host, host.substring(0, host.lastIndexOf(':'))) : List.of(host)) {
      Function<String, String> signedValue = name -> name.equals("host") ? signedHost : header.apply(name);
      StringBuilder canonical = new StringBuilder();
      canonical.append(method).append('\n').append(canonicalPath).append('\n').append(canonicalQuery(query)).append('\n');
      for (String name : claim.signedHeaders()) {
        canonical.append(name).append(':').append(signedValue.apply(name).strip().replaceAll("\\s+", " ")).append('\n');
      }
      canonical.append('\n').append(String.join(";", claim.signedHeaders())).append('\n').append(payloadHash);
      String stringToSign =
          claim.algorithm() + "\n" + date + "\n" + claim.scope() + "\n"
              + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
      String expected = hex(hmac(key, stringToSign));
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII), claim.signature().getBytes(StandardCharsets.US_ASCII))) {
        return null;
      }
    }
    return "signature does not match";
  }

  private static String canonicalQuery(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    return java.util.Arrays.stream(query.split("&")).sorted().reduce((a, b) -> a + "&" + b).orElse("");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Lower-cases header names for {@link #verify}'s lookup. */
  static Function<String, String> lookup(Map<String, List<String>> headers) {
    return name -> {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().toLowerCase(Locale.ROOT).equals(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    };
  }
}
