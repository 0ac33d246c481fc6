package io.keywarden.backend.outscale;

import io.keywarden.testsupport.StoppedClock;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.testsupport.BackendKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.outscale.OutscaleBackendConfig.AccessKey;
import io.keywarden.backend.outscale.OutscaleBackendConfig.Credentials;
import io.keywarden.backend.outscale.OutscaleBackendConfig.LoginPassword;
import io.keywarden.testsupport.outscale.OapiStandIn;
import io.keywarden.testsupport.outscale.OapiStandIn.Seen;
import io.keywarden.testsupport.outscale.OapiStandIn.Throttle;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link OutscaleOapiBackend} against the OAPI stand-in, which checks every signature and validates
 * every request and response against the official spec (no violation may occur in any test).
 */
@Tag("it")
class OutscaleOapiBackendIT {

  private static final String USER = "example-user";
  private static final Instant EXPIRY = Instant.parse("2063-04-05T00:00:00Z");

  private static OapiStandIn standIn;

  private OutscaleOapiBackend backend;

  @BeforeAll
  static void start() {
    standIn = OapiStandIn.start();
  }

  @AfterAll
  static void stop() {
    if (standIn != null) {
      standIn.close();
    }
  }

  @BeforeEach
  void fresh() {
    standIn.reset();
    standIn.createUser(USER);
    backend = backendWith(root());
  }

  @AfterEach
  void noSpecViolations() {
    assertThat(standIn.specViolations()).isEmpty();
  }

  private static Credentials root() {
    OapiStandIn.Credentials c = standIn.rootCredentials();
    return new AccessKey(c.accessKeyId(), c.secretKey());
  }

  private static OutscaleOapiBackend backendWith(Credentials credentials) {
    return OutscaleOapiBackend.create(OutscaleBackendConfig.of(OapiStandIn.REGION, credentials).withEndpoint(standIn.endpoint()));
  }

  private static OapiStandIn.Key standInKey(String owner, String id) {
    return standIn.keysOf(owner).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<String> actions() {
    return standIn.requests().stream().map(Seen::action).toList();
  }

  @Test
  void lifecycleOfAnAccountKey() {
    assertThat(backend.whoAmI().ownsKeys()).isTrue();
    assertThat(actions()).containsExactly("ReadAccessKeys"); // Ready changes nothing

    IssuedKey issued = backend.create(new CreateKeyRequest(null, "nonce-1", "ignored: OAPI keys have no description", EXPIRY));
    assertThat(issued.accessKeyId()).matches("[A-Z0-9]{20}");
    assertThat(issued.secretAccessKey().reveal()).matches("[A-Z0-9]{40}");
    assertThat(issued.secretAccessKey().toString()).doesNotContain(issued.secretAccessKey().reveal());
    assertThat(issued.user()).isNull();
    OapiStandIn.Key held = standInKey(null, issued.accessKeyId());
    assertThat(held.expiration()).isEqualTo(EXPIRY);
    assertThat(held.tag()).isEqualTo("nonce-1");
    assertThat(backend).isInstanceOf(NativeExpiry.class);

    backend.verify(issued);
    Seen verifyCall = standIn.requests().get(standIn.requests().size() - 1);
    assertThat(verifyCall.caller()).isEqualTo(issued.accessKeyId());
    assertThat(verifyCall.auth()).isEqualTo("AWS4-HMAC-SHA256");
    assertThat(verifyCall.scope()).endsWith("/" + OapiStandIn.REGION + "/api/aws4_request");

    KeyInfo listed = BackendKeys.find(backend, null, issued.accessKeyId()).orElseThrow();
    assertThat(listed.status()).isEqualTo(KeyStatus.ACTIVE);
    assertThat(listed.expiresAt()).isEqualTo(EXPIRY);
    assertThat(listed.tag()).isEqualTo("nonce-1");
    assertThat(listed.createdAt()).isEqualTo(issued.createdAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    assertThat(backend.list(null)).extracting(KeyInfo::accessKeyId)
        .containsExactly(standIn.rootCredentials().accessKeyId(), issued.accessKeyId());

    backend.delete(null, issued.accessKeyId());
    assertThat(BackendKeys.find(backend, null, issued.accessKeyId())).isEmpty();
    backend.delete(null, issued.accessKeyId()); // already gone: deleted
  }

  @Test
  void everyStatusChangeKeepsTheExpiryAndTheTag() {
    IssuedKey issued = backend.create(new CreateKeyRequest(USER, "nonce-2", null, EXPIRY));

    backend.setStatus(USER, issued.accessKeyId(), KeyStatus.INACTIVE);
    OapiStandIn.Key held = standInKey(USER, issued.accessKeyId());
    assertThat(held.state()).isEqualTo("INACTIVE");
    assertThat(held.expiration()).as("UpdateAccessKey without ExpirationDate would clear it").isEqualTo(EXPIRY);
    assertThat(held.tag()).isEqualTo("nonce-2");

    backend.setStatus(USER, issued.accessKeyId(), KeyStatus.ACTIVE);
    held = standInKey(USER, issued.accessKeyId());
    assertThat(held.state()).isEqualTo("ACTIVE");
    assertThat(held.expiration()).isEqualTo(EXPIRY);

    Seen update = standIn.requests().stream().filter(s -> s.action().equals("UpdateAccessKey")).findFirst().orElseThrow();
    assertThat(update.body().path("ExpirationDate").asText()).isEqualTo("2063-04-05T00:00:00Z");
    assertThat(update.body().path("UserName").asText()).isEqualTo(USER);

    // a key without expiry stays without one
    IssuedKey forever = backend.create(new CreateKeyRequest(USER, "nonce-3", null, null));
    backend.setStatus(USER, forever.accessKeyId(), KeyStatus.INACTIVE);
    assertThat(standInKey(USER, forever.accessKeyId()).expiration()).isNull();

    assertThatThrownBy(() -> backend.setStatus(USER, "ABCDEFGHIJ0123456789", KeyStatus.INACTIVE))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
  }

  @Test
  void anEimUsersKeyIsSetInactiveBeforeItIsDeleted() {
    IssuedKey issued = backend.create(new CreateKeyRequest(USER, "nonce-4", null, EXPIRY));
    int before = standIn.requests().size();

    backend.delete(USER, issued.accessKeyId());

    List<Seen> calls = standIn.requests().subList(before, standIn.requests().size());
    assertThat(calls).extracting(Seen::action).containsExactly("ReadAccessKeys", "UpdateAccessKey", "DeleteAccessKey");
    assertThat(calls.get(1).body().path("State").asText()).isEqualTo("INACTIVE");
    assertThat(calls).extracting(Seen::status).containsOnly(200);
    assertThat(standIn.keysOf(USER)).isEmpty();

    // an INACTIVE key is deleted at once
    IssuedKey inactive = backend.create(new CreateKeyRequest(USER, "nonce-5", null, null));
    backend.setStatus(USER, inactive.accessKeyId(), KeyStatus.INACTIVE);
    before = standIn.requests().size();
    backend.delete(USER, inactive.accessKeyId());
    assertThat(standIn.requests().subList(before, standIn.requests().size()))
        .extracting(Seen::action).containsExactly("ReadAccessKeys", "DeleteAccessKey");
  }

  @Test
  void crashRecoveryFindsExactlyTheKeysOfTheInterruptedCreateByTag() {
    IssuedKey interrupted = backend.create(new CreateKeyRequest(USER, "fence-nonce-A", null, EXPIRY));
    IssuedKey sibling = backend.create(new CreateKeyRequest(USER, "fence-nonce-B", null, EXPIRY));
    standIn.createKey(USER); // made outside keywarden: no tag
    backend.create(new CreateKeyRequest(null, "fence-nonce-A", null, null)); // the account's, not the user's

    List<KeyInfo> found = backend.findByTag(USER, "fence-nonce-A");
    assertThat(found).extracting(KeyInfo::accessKeyId).containsExactly(interrupted.accessKeyId());
    assertThat(found.get(0).tag()).isEqualTo("fence-nonce-A");
    assertThat(found.get(0).user()).isEqualTo(USER);

    // recovery deletes what it found; the sibling stays
    found.forEach(k -> backend.delete(USER, k.accessKeyId()));
    assertThat(backend.findByTag(USER, "fence-nonce-A")).isEmpty();
    assertThat(backend.list(USER)).extracting(KeyInfo::accessKeyId).contains(sibling.accessKeyId()).hasSize(2);
  }

  @Test
  void theKeyLimitIsLimitExceededAndNotRetried() {
    standIn.setKeyLimit(2);
    backend.create(new CreateKeyRequest(USER, "n1", null, null));
    backend.create(new CreateKeyRequest(USER, "n2", null, null));
    int before = standIn.requests().size();
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(USER, "n3", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
          assertThat(e.getMessage()).contains("10005").contains("at most 10 access keys");
        });
    assertThat(standIn.requests()).hasSize(before + 1);
  }

  @Test
  void throttlingIsWaitedOutAndCreateIsRepeatedOnlyAfterThrottling() {
    standIn.throttleNext(Throttle.PER_ACCOUNT, Throttle.PER_CALL);
    assertThat(backend.list(USER)).isEmpty();
    assertThat(standIn.requests()).extracting(Seen::errorCode).containsExactly("24", "25", null);

    // throttling is answered before the request is processed: a repeated create makes one key
    standIn.throttleNext(Throttle.WHOLE_PLATFORM);
    backend.create(new CreateKeyRequest(USER, "n1", null, null));
    assertThat(standIn.keysOf(USER)).hasSize(1);

    standIn.throttleNext(Throttle.PER_ACCOUNT, Throttle.PER_ACCOUNT, Throttle.PER_ACCOUNT);
    assertThatThrownBy(() -> backend.list(USER))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
        });
  }

  @Test
  void anAuthenticationFailureHoldsTheCredentialsOffSoTheyNeverLockUp() {
    StoppedClock clock = new StoppedClock(Instant.now());
    AccessKey wrong = new AccessKey(standIn.rootCredentials().accessKeyId(), SecretValue.of("not-the-secret"));
    OutscaleOapiBackend wrongBackend =
        OutscaleOapiBackend.create(OutscaleBackendConfig.of(OapiStandIn.REGION, wrong).withEndpoint(standIn.endpoint()), clock);

    assertThatThrownBy(wrongBackend::whoAmI)
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
          assertThat(e.getMessage()).contains("ErrorAuthenticationFailed").doesNotContain("not-the-secret");
        });
    assertThat(standIn.requests()).hasSize(1); // tried once, not retried

    // Many reconciles later, within the hold-off: nothing reaches the API
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> wrongBackend.list(USER))
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
            assertThat(e.getMessage()).contains("not sent").contains("lockout");
          });
    }
    assertThat(standIn.requests()).hasSize(1);

    // After the hold-off one more try; the next hold-off is twice as long
    clock.advance(OutscaleOapiBackend.FIRST_AUTH_HOLD_OFF.plusSeconds(1));
    assertThatThrownBy(wrongBackend::whoAmI).isInstanceOf(BackendException.class);
    assertThat(standIn.requests()).hasSize(2);
    clock.advance(OutscaleOapiBackend.FIRST_AUTH_HOLD_OFF.plusSeconds(1));
    assertThatThrownBy(wrongBackend::whoAmI).hasMessageContaining("not sent");
    assertThat(standIn.requests()).hasSize(2);

    // The right credentials were never locked out
    assertThat(backend.whoAmI().ownsKeys()).isTrue();
  }

  @Test
  void lockedCredentialsAreReportedAsSuchAndNotRetried() {
    AccessKey wrong = new AccessKey(standIn.rootCredentials().accessKeyId(), SecretValue.of("not-the-secret"));
    for (int i = 0; i < 4; i++) { // four fresh backends, as four operator restarts would be
      OutscaleOapiBackend b = backendWith(wrong);
      assertThatThrownBy(b::whoAmI).isInstanceOf(BackendException.class);
    }
    assertThatThrownBy(backend::whoAmI) // the right secret, but the key is locked now
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
          assertThat(e.getMessage()).contains("13").contains("locked for a while");
        });
    assertThat(standIn.requests()).hasSize(5);
    standIn.advanceClock(Duration.ofMinutes(1).plusSeconds(1));
    assertThat(backendWith(root()).whoAmI().ownsKeys()).isTrue();
  }

  @Test
  void loginAndPasswordManageKeysLikeAnAccessKey() {
    OutscaleOapiBackend withPassword = backendWith(new LoginPassword(OapiStandIn.LOGIN, standIn.password()));
    assertThat(withPassword.whoAmI().principal()).isEqualTo("outscale login " + OapiStandIn.LOGIN);
    IssuedKey issued = withPassword.create(new CreateKeyRequest(USER, "nonce-p", null, EXPIRY));
    withPassword.setStatus(USER, issued.accessKeyId(), KeyStatus.INACTIVE);
    assertThat(standInKey(USER, issued.accessKeyId()).expiration()).isEqualTo(EXPIRY);
    withPassword.delete(USER, issued.accessKeyId());
    assertThat(standIn.keysOf(USER)).isEmpty();
    assertThat(standIn.requests()).extracting(Seen::auth).containsOnly("Basic");
    withPassword.verify(withPassword.create(new CreateKeyRequest(null, "nonce-q", null, null)));
  }

  @Test
  void verifyTellsAKeyThatDoesNotWorkYet() {
    IssuedKey issued = backend.create(new CreateKeyRequest(USER, "nonce-v", null, null));
    backend.setStatus(USER, issued.accessKeyId(), KeyStatus.INACTIVE);
    assertThatThrownBy(() -> backend.verify(issued))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_USABLE_YET);
          assertThat(e.getMessage()).doesNotContain(issued.secretAccessKey().reveal());
        });
  }

  @Test
  void badInputIsInvalidRequestOrNotFound() {
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(USER, "n", null, Instant.now().minusSeconds(60))))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST));
    assertThatThrownBy(() -> backend.list("no-such-user"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    backend.delete("no-such-user", "ABCDEFGHIJ0123456789"); // a gone user holds no keys: deleted
  }
}
