package io.keywarden.backend.outscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.outscale.OapiClient.CreateAccessKeyResponse;
import io.keywarden.backend.outscale.OapiClient.ReadAccessKeysRequest;
import io.keywarden.backend.outscale.OapiClient.UpdateAccessKeyRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire shapes and dates, with the reference page's values. */
class OapiClientTest {

  @Test
  void readsDatesAsTheApiWritesThem() {
    assertThat(OapiClient.parseDate("2063-04-05T00:00:00.000+0000")).isEqualTo(Instant.parse("2063-04-05T00:00:00Z"));
    assertThat(OapiClient.parseDate("2010-10-01T12:34:56.789+0000")).isEqualTo(Instant.parse("2010-10-01T12:34:56.789Z"));
    assertThat(OapiClient.parseDate("2020-06-14T00:00:00.000Z")).isEqualTo(Instant.parse("2020-06-14T00:00:00Z"));
    assertThat(OapiClient.parseDate("2020-06-14T02:00:00+02:00")).isEqualTo(Instant.parse("2020-06-14T00:00:00Z"));
    assertThat(OapiClient.parseDate(null)).isNull();
    assertThatThrownBy(() -> OapiClient.parseDate("2063-04-05")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesDatesAsRfc3339InUtcToTheMillisecond() {
    assertThat(OapiClient.formatDate(Instant.parse("2063-04-05T00:00:00Z"))).isEqualTo("2063-04-05T00:00:00Z");
    assertThat(OapiClient.formatDate(Instant.parse("2027-01-15T10:00:00.123456789Z"))).isEqualTo("2027-01-15T10:00:00.123Z");
    assertThat(OapiClient.formatDate(null)).isNull();
  }

  @Test
  void requestsUseTheApisNamesAndLeaveOutWhatIsNotSet() throws Exception {
    assertThat(OapiClient.JSON.writeValueAsString(
            new ReadAccessKeysRequest(new ReadAccessKeysRequest.Filters(List.of("ABCDEFGHIJ0123456789")), "nonce", null)))
        .isEqualTo("{\"Filters\":{\"AccessKeyIds\":[\"ABCDEFGHIJ0123456789\"]},\"Tag\":\"nonce\"}");
    assertThat(OapiClient.JSON.writeValueAsString(
            new UpdateAccessKeyRequest("ABCDEFGHIJ0123456789", "INACTIVE", "2063-04-05T00:00:00Z", null, "example-user")))
        .isEqualTo("{\"AccessKeyId\":\"ABCDEFGHIJ0123456789\",\"State\":\"INACTIVE\","
            + "\"ExpirationDate\":\"2063-04-05T00:00:00Z\",\"UserName\":\"example-user\"}");
  }

  @Test
  void readsTheReferencePagesResultSampleWithoutPrintingTheSecret() throws Exception {
    String sample =
        """
        {
          "ResponseContext": {"RequestId": "0475ca1e-d0c5-441d-712a-da55a4175157"},
          "AccessKey": {
            "State": "ACTIVE",
            "AccessKeyId": "ABCDEFGHIJ0123456789",
            "CreationDate": "2010-10-01T12:34:56.789+0000",
            "ExpirationDate": "2063-04-05T00:00:00.000+0000",
            "SecretKey": "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "LastModificationDate": "2010-10-01T12:34:56.789+0000",
            "SomethingNewer": true
          }
        }
        """;
    OapiClient.OapiAccessKey key = OapiClient.JSON.readValue(sample, CreateAccessKeyResponse.class).accessKey();
    assertThat(key.accessKeyId()).isEqualTo("ABCDEFGHIJ0123456789");
    assertThat(key.secretKey()).hasSize(40);
    assertThat(key.expirationDate()).isEqualTo("2063-04-05T00:00:00.000+0000");
    assertThat(key.toString()).doesNotContain("XXXXXXXX");
  }
}
