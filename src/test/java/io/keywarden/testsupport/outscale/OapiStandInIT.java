package io.keywarden.testsupport.outscale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywarden.testsupport.outscale.OapiStandIn.Seen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the stand-in with the official clients, unmodified: {@code osc-cli} runs the exact
 * commands of reference page 003 (access key and login/password), and the official Python SDK runs
 * the whole key lifecycle. The stand-in checks their signatures and validates their requests and
 * its responses against the spec; none may be in violation.
 */
@Tag("it")
class OapiStandInIT {

  /** Reference page 003, "Creating an Access Key Using OSC CLI", first sample, verbatim. */
  private static final String PAGE_003_ACCESS_KEY =
      "osc-cli api CreateAccessKey --profile \"default\" \\\n--ExpirationDate \"2063-04-05\"";

  /** The same page's login/password sample, verbatim. */
  private static final String PAGE_003_PASSWORD =
      "osc-cli api CreateAccessKey --profile \"default\" --authentication-method \"password\" --login \"$OSC_EMAIL\" "
          + "--password \"$OSC_PASSWORD\" \\\n--ExpirationDate \"2063-04-05\"";

  private static OapiStandIn standIn;
  private static OfficialClients clients;

  @BeforeAll
  static void start() {
    standIn = OapiStandIn.start();
    clients = new OfficialClients(standIn);
  }

  @AfterAll
  static void stop() {
    if (standIn != null) {
      standIn.close();
    }
  }

  @BeforeEach
  void reset() {
    standIn.reset();
  }

  @AfterEach
  void noSpecViolations() {
    assertThat(standIn.specViolations()).isEmpty();
  }

  private static Map<String, String> passwordEnv(String password) {
    return Map.of("OSC_EMAIL", OapiStandIn.LOGIN, "OSC_PASSWORD", password);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  /** The page's result sample: the same fields, an ACTIVE key expiring 2063-04-05 at midnight UTC. */
  private static void assertLikeResultSample(JsonNode printed) {
    assertThat(fieldNames(printed)).containsExactly("AccessKey", "ResponseContext");
    JsonNode key = printed.path("AccessKey");
    assertThat(fieldNames(key))
        .containsExactly("AccessKeyId", "CreationDate", "ExpirationDate", "LastModificationDate", "SecretKey", "State");
    assertThat(key.path("State").asText()).isEqualTo("ACTIVE");
    assertThat(key.path("AccessKeyId").asText()).matches("[A-Z0-9]{20}");
    assertThat(key.path("SecretKey").asText()).matches("[A-Z0-9]{40}");
    assertThat(key.path("ExpirationDate").asText()).isEqualTo("2063-04-05T00:00:00.000+0000");
  }

  @Test
  void page003AccessKeyCommandCreatesAKeyThatIsSignedOsc4() {
    OfficialClients.Result r = clients.shell(PAGE_003_ACCESS_KEY, Map.of());
    assertThat(r.ok()).as("%s %s %s", r, standIn.requests(), standIn.specViolations()).isTrue();
    assertLikeResultSample(r.json());
    String id = r.json().path("AccessKey").path("AccessKeyId").asText();
    assertThat(standIn.keysOf(null)).extracting(OapiStandIn.Key::id).contains(id);

    Seen seen = standIn.requests().get(0);
    assertThat(seen.auth()).isEqualTo("OSC4-HMAC-SHA256");
    assertThat(seen.caller()).isEqualTo(standIn.rootCredentials().accessKeyId());
    assertThat(seen.scope()).endsWith("/" + OapiStandIn.REGION + "/api/osc4_request");
    assertThat(seen.status()).isEqualTo(200);
  }

  @Test
  void page003PasswordCommandCreatesAKeyWithBasicAuthentication() {
    OfficialClients.Result r = clients.shell(PAGE_003_PASSWORD, passwordEnv(standIn.password().reveal()));
    assertThat(r.ok()).as("%s %s %s", r, standIn.requests(), standIn.specViolations()).isTrue();
    assertLikeResultSample(r.json());
    assertThat(standIn.requests()).singleElement().satisfies(seen -> {
      assertThat(seen.auth()).isEqualTo("Basic");
      assertThat(seen.caller()).isEqualTo(OapiStandIn.LOGIN);
    });
  }

  @Test
  void wrongPasswordFailsWithTheDocumentedErrorAndFourInARowLockTheLogin() {
    for (int attempt = 1; attempt <= 4; attempt++) {
      OfficialClients.Result r = clients.shell(PAGE_003_PASSWORD, passwordEnv("not-the-password"));
      assertThat(r.ok()).isFalse();
      assertThat(r.stderr()).contains("status = 401").contains("code = 1");
    }
    assertThat(standIn.keysOf(null)).hasSize(1); // only the root key: nothing was created

    // Locked now: even the right password is refused, with error 13
    OfficialClients.Result locked = clients.shell(PAGE_003_PASSWORD, passwordEnv(standIn.password().reveal()));
    assertThat(locked.ok()).isFalse();
    assertThat(locked.stderr()).contains("code = 13");
  }

  @Test
  void pythonSdkRunsTheLifecycleWithAnAccessKey() {
    OapiStandIn.Credentials root = standIn.rootCredentials();
    standIn.createUser("example-user");
    String program =
        """
        import json
        from osc_sdk_python import Gateway
        gw = Gateway()
        created = gw.CreateAccessKey(ExpirationDate="2063-04-05", Tag="Group1", UserName="example-user")["AccessKey"]
        key_id = created["AccessKeyId"]
        by_tag = gw.ReadAccessKeys(Tag="Group1", UserName="example-user")["AccessKeys"]
        updated = gw.UpdateAccessKey(AccessKeyId=key_id, State="INACTIVE", UserName="example-user")["AccessKey"]
        gw.DeleteAccessKey(AccessKeyId=key_id, UserName="example-user")
        after = gw.ReadAccessKeys(UserName="example-user")["AccessKeys"]
        print(json.dumps({"created": {k: v for k, v in created.items() if k != "SecretKey"},
                          "by_tag": by_tag, "updated": updated, "after": after}))
        """;
    OfficialClients.Result r =
        clients.python(
            program, Map.of("OSC_ACCESS_KEY", root.accessKeyId(), "OSC_SECRET_KEY", root.secretKey().reveal()));
    assertThat(r.ok()).as("%s %s %s", r, standIn.requests(), standIn.specViolations()).isTrue();
    JsonNode out = r.json();
    String id = out.path("created").path("AccessKeyId").asText();
    assertThat(out.path("created").path("Tag").asText()).isEqualTo("Group1");
    assertThat(out.path("by_tag")).singleElement().satisfies(k -> assertThat(k.path("AccessKeyId").asText()).isEqualTo(id));
    // UpdateAccessKey without ExpirationDate: the key no longer expires (the documented behaviour)
    assertThat(out.path("updated").path("State").asText()).isEqualTo("INACTIVE");
    assertThat(out.path("updated").has("ExpirationDate")).isFalse();
    assertThat(out.path("updated").path("Tag").asText()).isEqualTo("Group1");
    assertThat(out.path("after")).isEmpty();
    assertThat(standIn.requests()).allSatisfy(seen -> {
      assertThat(seen.auth()).isEqualTo("OSC4-HMAC-SHA256");
      assertThat(seen.status()).isEqualTo(200);
    });
  }

  @Test
  void pythonSdkWithLoginAndPasswordReadsTheAccountsKeys() {
    String program =
        """
        import json
        from osc_sdk_python import Gateway
        print(json.dumps(Gateway().ReadAccessKeys()))
        """;
    OfficialClients.Result r =
        clients.python(program, Map.of("OSC_LOGIN", OapiStandIn.LOGIN, "OSC_PASSWORD", standIn.password().reveal()));
    assertThat(r.ok()).as("%s %s %s", r, standIn.requests(), standIn.specViolations()).isTrue();
    assertThat(r.json().path("AccessKeys")).singleElement().satisfies(k ->
        assertThat(k.path("AccessKeyId").asText()).isEqualTo(standIn.rootCredentials().accessKeyId()));
    assertThat(standIn.requests()).singleElement().extracting(Seen::auth).isEqualTo("Basic");
  }

  @Test
  void deletingAnActiveEimUserKeyIsRefused() {
    standIn.createUser("example-user");
    String id = standIn.createKey("example-user").accessKeyId();
    OfficialClients.Result r =
        clients.shell(
            "osc-cli api DeleteAccessKey --profile \"default\" --AccessKeyId \"" + id + "\" --UserName \"example-user\"",
            Map.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.stderr()).contains("code = 6003");
    assertThat(standIn.keysOf("example-user")).hasSize(1);
  }

  @Test
  void throttlingAnswersAreTheDocumentedOnes() {
    standIn.throttleNext(OapiStandIn.Throttle.PER_ACCOUNT);
    OfficialClients.Result r = clients.shell("osc-cli api ReadAccessKeys --profile \"default\"", Map.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.stderr()).contains("status = 429").contains("code = 24");
  }
}
