package io.keywarden.testsupport.outscale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validator the stand-in relies on, against the spec's own examples: they must pass (this is
 * what justifies the colon-less offset in {@link OapiSpec}), and obvious mistakes must not. Tagged
 * "it": the spec comes from the PyPI package, through {@code hack/outscale-tools.sh}.
 */
@Tag("it")
class OapiSpecIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ACTIONS = {"CreateAccessKey", "ReadAccessKeys", "UpdateAccessKey", "DeleteAccessKey"};

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"CreateAccessKey", "ReadAccessKeys", "UpdateAccessKey", "DeleteAccessKey"})
  void theSpecsOwnExamplesValidate(String action) {
    OapiSpec spec = OutscaleTools.spec();
    List<JsonNode> requests = spec.examplesOf(action, "request");
    List<JsonNode> responses = spec.examplesOf(action, "response");
    assertThat(requests).as("request examples of %s", action).isNotEmpty();
    assertThat(responses).as("response examples of %s", action).isNotEmpty();
    requests.forEach(r -> assertThat(spec.validateRequest(action, r)).as("%s", r).isEmpty());
    responses.forEach(r -> assertThat(spec.validateResponse(action, 200, r)).as("%s", r).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"ExpirationDate\": \"2063-04-05\"}",
        "{\"ExpirationDate\": \"2020-06-14T00:00:00.000Z\", \"Tag\": \"nonce\", \"UserName\": \"example-user\"}",
        "{\"DryRun\": true}"
      })
  void documentedCreateRequestsValidate(String body) {
    assertThat(OutscaleTools.spec().validateRequest("CreateAccessKey", json(body))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"ExpirationDate\": \"in a week\"}",
        "{\"ExpirationDate\": \"2063-04-05\", \"Description\": \"OAPI keys have none\"}",
        "{\"DryRun\": \"yes\"}",
        "{\"UserName\": 7}"
      })
  void mistakenCreateRequestsDoNot(String body) {
    assertThat(OutscaleTools.spec().validateRequest("CreateAccessKey", json(body))).isNotEmpty();
  }

  @Test
  void updateNeedsTheKeyId() {
    OapiSpec spec = OutscaleTools.spec();
    assertThat(spec.validateRequest("UpdateAccessKey", json("{\"AccessKeyId\": \"ABCDEFGHIJ0123456789\"}"))).isEmpty();
    assertThat(spec.validateRequest("UpdateAccessKey", json("{\"State\": \"ACTIVE\"}"))).isNotEmpty();
  }

  @Test
  void errorsValidateAgainstErrorResponseAndEveryKeyCallTakesBothAuthentications() {
    OapiSpec spec = OutscaleTools.spec();
    String action = "CreateAccessKey";
    JsonNode error =
        json("{\"Errors\": [{\"Code\": \"24\", \"Type\": \"AccessDenied\", \"Details\": \"\"}],"
            + " \"ResponseContext\": {\"RequestId\": \"0475ca1e-d0c5-441d-712a-da55a4175157\"}}");
    assertThat(spec.validateResponse(action, 429, error)).isEmpty();
    assertThat(spec.validateResponse(action, 429, json("{\"Error\": \"throttled\"}"))).isNotEmpty();
    assertThat(ACTIONS).allSatisfy(a -> assertThat(spec.securitySchemes(a)).contains("ApiKeyAuthSec", "BasicAuth"));
  }
}
