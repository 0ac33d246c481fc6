package io.keywarden.testsupport.outscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The stand-in's signature check against signatures the official clients computed. The two OSC4
 * vectors were produced once by osc-sdk-python 0.42.0 ({@code Authentication.forge_headers_signed})
 * and osc-cli 1.11.0 ({@code OSCCall.get_authorization_header}) with their clocks fixed at
 * 2026-11-23T12:00:00Z, for the reference page's key {@code ABCDEFGHIJ0123456789} / {@code XXXX…}
 * and its {@code CreateAccessKey --ExpirationDate "2063-04-05"} body. The AWS4 case is signed here
 * by the AWS SDK's signer, as keywarden and the official Java SDK sign.
 */
class SignatureCheckTest {

  private static final String ACCESS_KEY = "ABCDEFGHIJ0123456789";
  private static final String SECRET = "X".repeat(40);
  private static final String HOST = "api.eu-west-2.outscale.com";
  private static final byte[] BODY = "{\"ExpirationDate\": \"2063-04-05\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant SIGNED_AT = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant NOW = SIGNED_AT.plusSeconds(300);

  private static String check(String authorization, String path, Map<String, List<String>> headers, byte[] body, Instant now) {
    SignatureCheck.Claim claim = SignatureCheck.parse(authorization);
    assertThat(claim).isNotNull();
    return SignatureCheck.verify(claim, SECRET, "POST", path, null, SignatureCheck.lookup(headers), body, "eu-west-2", now);
  }

  @Test
  void osc4FromThePythonSdk() {
    String authorization =
        "OSC4-HMAC-SHA256 Credential=ABCDEFGHIJ0123456789/20261123/eu-west-2/api/osc4_request, "
            + "SignedHeaders=content-type;host;x-osc-date, "
            + "Signature=b3113c1c5dd3db827d800baa8318a31842a197cb4047ab8167f11eb722192913";
    Map<String, List<String>> headers =
        Map.of("Host", List.of(HOST), "Content-Type", List.of("application/json; charset=utf-8"),
            "X-Osc-Date", List.of("20261123T120000Z"));
    assertThat(check(authorization, "/api/v1/CreateAccessKey", headers, BODY, NOW)).isNull();
    assertThat(check(authorization, "/api/v1/CreateAccessKey", headers, "{}".getBytes(StandardCharsets.UTF_8), NOW))
        .isEqualTo("signature does not match");
    assertThat(check(authorization, "/api/v1/CreateAccessKey", headers, BODY, SIGNED_AT.plusSeconds(16 * 60)))
        .contains("more than PT15M");
  }

  @Test
  void osc4FromOscCliWhichSendsADoubleSlash() {
    String authorization =
        "OSC4-HMAC-SHA256 Credential=ABCDEFGHIJ0123456789/20261123/eu-west-2/api/osc4_request, "
            + "SignedHeaders=host;x-osc-date;x-osc-target, "
            + "Signature=3abb5d9d4b07f97b9fa3f703b890a64e695bb5e0a88cbcd84cedc895f04cc467";
    Map<String, List<String>> headers =
        Map.of("Host", List.of(HOST), "Content-Type", List.of("application/json"), "X-Osc-Date", List.of("20261123T120000Z"),
            "x-osc-target", List.of("OutscaleService.CreateAccessKey"));
    assertThat(check(authorization, "//api/latest/CreateAccessKey", headers, BODY, NOW)).isNull();
    Map<String, List<String>> otherTarget = new java.util.HashMap<>(headers);
    otherTarget.put("x-osc-target", List.of("OutscaleService.DeleteAccessKey"));
    assertThat(check(authorization, "//api/latest/CreateAccessKey", otherTarget, BODY, NOW)).isEqualTo("signature does not match");
  }

  @Test
  void aws4FromTheAwsSdkSigner() {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(java.net.URI.create("http://127.0.0.1:8443/api/v1/ReadAccessKeys"))
            .putHeader("Content-Type", "application/json")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(r -> r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-2")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)))
            .request();
    String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=ABCDEFGHIJ0123456789/20261123/eu-west-2/api/aws4_request");
    assertThat(check(authorization, "/api/v1/ReadAccessKeys", signed.headers(), BODY, NOW)).isNull();
    assertThat(SignatureCheck.verify(SignatureCheck.parse(authorization), "Y".repeat(40), "POST", "/api/v1/ReadAccessKeys",
            null, SignatureCheck.lookup(signed.headers()), BODY, "eu-west-2", NOW))
        .isEqualTo("signature does not match");
    assertThat(SignatureCheck.verify(SignatureCheck.parse(authorization), SECRET, "POST", "/api/v1/ReadAccessKeys",
            null, SignatureCheck.lookup(signed.headers()), BODY, "us-east-2", NOW))
        .contains("scope region eu-west-2");
  }

  @Test
  void otherSchemesAreNotSignatures() {
    assertThat(SignatureCheck.parse("Basic YUBiLmM6cHc=")).isNull();
    assertThat(SignatureCheck.parse(null)).isNull();
  }
}
