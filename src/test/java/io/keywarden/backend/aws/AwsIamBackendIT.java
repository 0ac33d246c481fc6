package io.keywarden.backend.aws;

import io.keywarden.testsupport.BackendKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.aws.AwsBackendConfig.IdentityApi;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.MotoServer.Credentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsIamBackend} against a real moto_server with moto's IAM authentication ON: every call
 * keywarden makes is SigV4-checked by moto against the admin key, and every key keywarden issues is
 * proven to sign a request moto accepts.
 */
@Tag("it")
class AwsIamBackendIT {

  private static final AtomicInteger USERS = new AtomicInteger();

  private static MotoServer moto;
  private static Credentials admin;
  private static AwsIamBackend backend;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    admin = moto.adminCredentials();
    moto.enableAuthentication();
    backend = AwsIamBackend.create(config(admin));
  }

  @AfterAll
  static void stopMoto() {
    if (backend != null) {
      backend.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private static AwsBackendConfig config(Credentials credentials) {
    return AwsBackendConfig.of(MotoServer.REGION, credentials.provider()).withEndpoint(moto.endpoint());
  }

  /** A fresh IAM user without policies; names are unique so tests need no reset. */
  private static String newUser() {
    String name = "bob-" + USERS.incrementAndGet();
    moto.createUser(name);
    return name;
  }

  private static IssuedKey create(String user) {
    return backend.create(new CreateKeyRequest(user, "nonce-" + user, null, null));
  }

  private static Consumer<Throwable> reason(Reason reason) {
    return t -> {
      assertThat(t).isInstanceOf(BackendException.class);
      assertThat(((BackendException) t).reason()).isEqualTo(reason);
    };
  }

  /** Asserts without printing the secret when it fails. */
  private static void assertNoSecretIn(String text, SecretValue... secrets) {
    for (SecretValue s : secrets) {
      assertThat(text != null && text.contains(s.reveal())).as("a message contains a secret key").isFalse();
    }
  }

  @Test
  void whoAmINamesTheAdminUser() {
    Identity me = backend.whoAmI();
    assertThat(me.principal()).isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":user/" + MotoServer.ADMIN_USER);
    assertThat(me.userName()).isEqualTo(MotoServer.ADMIN_USER);
  }

  @Test
  void whoAmIWithUnknownCredentialsIsAnAuthenticationFailure() {
    Credentials unknown = new Credentials("AKIAUNKNOWNUNKNOWN01", SecretValue.of("unknown-secret"));
    try (AwsIamBackend stranger = AwsIamBackend.create(config(unknown))) {
      assertThatThrownBy(stranger::whoAmI)
          .satisfies(reason(Reason.AUTHENTICATION))
          .hasMessageStartingWith("sts:GetCallerIdentity failed: InvalidClientTokenId (HTTP 403)");
      assertThatThrownBy(() -> stranger.list("anyone")).satisfies(reason(Reason.AUTHENTICATION));
    }
  }

  @Test
  void aWrongSecretIsAnAuthenticationFailure() {
    Credentials wrong = new Credentials(admin.accessKeyId(), SecretValue.of("not-the-admin-secret"));
    try (AwsIamBackend impostor = AwsIamBackend.create(config(wrong))) {
      assertThatThrownBy(impostor::whoAmI)
          .satisfies(reason(Reason.AUTHENTICATION))
          .hasMessageContaining("SignatureDoesNotMatch");
    }
  }

  @Test
  void createListDeactivateReactivateDeleteForANamedUser() {
    String user = newUser();
    Instant before = Instant.now().minusSeconds(5);

    IssuedKey key = create(user);
    assertThat(key.accessKeyId()).startsWith("AKIA").hasSize(20);
    assertThat(key.secretAccessKey().reveal().length()).isEqualTo(40);
    assertThat(key.sessionToken()).isNull();
    assertThat(key.user()).isEqualTo(user);
    assertThat(key.createdAt()).isBetween(before, Instant.now().plusSeconds(5));
    assertNoSecretIn(key.toString(), key.secretAccessKey());

    assertThat(backend.list(user))
        .containsExactly(new KeyInfo(key.accessKeyId(), user, KeyStatus.ACTIVE, key.createdAt(), null, null));

    backend.setStatus(user, key.accessKeyId(), KeyStatus.INACTIVE);
    assertThat(BackendKeys.find(backend, user, key.accessKeyId())).hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.INACTIVE));

    backend.setStatus(user, key.accessKeyId(), KeyStatus.ACTIVE);
    assertThat(BackendKeys.find(backend, user, key.accessKeyId())).hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));

    backend.delete(user, key.accessKeyId());
    assertThat(backend.list(user)).isEmpty();
    assertThat(BackendKeys.find(backend, user, key.accessKeyId())).isEmpty();

    // idempotent: the key is gone, deleting again succeeds
    backend.delete(user, key.accessKeyId());
  }

  @Test
  void aThirdKeyIsRefusedWithLimitExceeded() {
    String user = newUser();
    IssuedKey first = create(user);
    IssuedKey second = create(user);

    assertThatThrownBy(() -> create(user))
        .satisfies(reason(Reason.LIMIT_EXCEEDED))
        .satisfies(t -> assertNoSecretIn(t.getMessage(), first.secretAccessKey(), second.secretAccessKey()))
        .hasMessageStartingWith("iam:CreateAccessKey for user " + user + " failed: LimitExceeded (HTTP 409)");
    assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(first.accessKeyId(), second.accessKeyId());

    // an inactive key still counts; a deleted one frees the slot
    backend.setStatus(user, first.accessKeyId(), KeyStatus.INACTIVE);
    assertThatThrownBy(() -> create(user)).satisfies(reason(Reason.LIMIT_EXCEEDED));
    backend.delete(user, first.accessKeyId());
    IssuedKey third = create(user);
    assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(second.accessKeyId(), third.accessKeyId());
  }

  @Test
  void aMissingUserIsNotFoundExceptForDelete() {
    String ghost = "ghost-" + USERS.incrementAndGet();
    assertThatThrownBy(() -> create(ghost))
        .satisfies(reason(Reason.NOT_FOUND))
        .hasMessageContaining("NoSuchEntity")
        .hasMessageContaining(ghost);
    assertThatThrownBy(() -> backend.list(ghost)).satisfies(reason(Reason.NOT_FOUND));
    assertThatThrownBy(() -> backend.setStatus(ghost, "AKIAIOSFODNN7EXAMPLE", KeyStatus.INACTIVE))
        .satisfies(reason(Reason.NOT_FOUND));
    backend.delete(ghost, "AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void aMissingKeyOfAnExistingUserIsNotFoundForSetStatusAndDeletedForDelete() {
    String user = newUser();
    assertThatThrownBy(() -> backend.setStatus(user, "AKIAIOSFODNN7EXAMPLE", KeyStatus.ACTIVE))
        .satisfies(reason(Reason.NOT_FOUND));
    backend.delete(user, "AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void deletingAKeyOfADeletedUserSucceeds() {
    String user = newUser();
    IssuedKey key = create(user);
    try (var iam = moto.iamClient(admin)) {
      iam.deleteAccessKey(r -> r.userName(user).accessKeyId(key.accessKeyId()));
      iam.deleteUser(r -> r.userName(user));
    }
    assertThatCode(() -> backend.delete(user, key.accessKeyId())).as("a key that is gone counts as deleted")
        .doesNotThrowAnyException();
  }

  @Test
  void aUserNameMotoWouldAcceptButIamRefusesIsRefusedBeforeAnyCall() {
    // moto itself creates users named like this (it does not check IAM's pattern); AWS does not.
    assertThatThrownBy(() -> create("bad name!"))
        .satisfies(reason(Reason.INVALID_REQUEST))
        .hasMessageContaining("not sent");
    assertThatThrownBy(() -> backend.list("x".repeat(65))).satisfies(reason(Reason.INVALID_REQUEST));
  }

  @Test
  void withoutAUserKeysAreTheCallersOwn() {
    String user = newUser();
    Credentials userKey = moto.createAccessKey(user);
    // the user may manage its own keys
    try (var iam = moto.iamClient(admin)) {
      iam.putUserPolicy(
          r -> r.userName(user)
              .policyName("own-keys")
              .policyDocument(
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:*AccessKey*\"],\"Resource\":\"*\"}]}"));
    }
    try (AwsIamBackend self = AwsIamBackend.create(config(userKey))) {
      assertThat(self.whoAmI()).isEqualTo(new Identity("arn:aws:iam::123456789012:user/" + user, user, true));
      IssuedKey own = self.create(new CreateKeyRequest(null, "n", null, null));
      assertThat(own.user()).isEqualTo(user);
      assertThat(self.list(null)).extracting(KeyInfo::accessKeyId).containsExactly(userKey.accessKeyId(), own.accessKeyId());
      self.setStatus(null, own.accessKeyId(), KeyStatus.INACTIVE);
      assertThat(BackendKeys.find(backend, user, own.accessKeyId())).hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.INACTIVE));
      self.delete(null, own.accessKeyId());
      assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(userKey.accessKeyId());
    }
  }

  @Test
  void aCallerWithoutPermissionIsAccessDeniedButMayStillAskWhoItIs() {
    String user = newUser();
    Credentials powerless = moto.createAccessKey(user);
    try (AwsIamBackend weak = AwsIamBackend.create(config(powerless))) {
      assertThat(weak.whoAmI().userName()).isEqualTo(user);
      assertThatThrownBy(() -> weak.list(user))
          .satisfies(reason(Reason.ACCESS_DENIED))
          .hasMessageContaining("AccessDenied")
          .hasMessageContaining("iam:ListAccessKeys");
      assertThatThrownBy(() -> weak.create(new CreateKeyRequest(user, "n", null, null))).satisfies(reason(Reason.ACCESS_DENIED));
    }
  }

  // --- verify: the key keywarden wrote signs requests moto accepts ----------------------------

  @Test
  void verifyAcceptsAFreshKeyAndRefusesADeletedOne() {
    String user = newUser();
    IssuedKey key = create(user);

    backend.verify(key);

    backend.delete(user, key.accessKeyId());
    assertThatThrownBy(() -> backend.verify(key))
        .satisfies(reason(Reason.KEY_NOT_USABLE_YET))
        .satisfies(t -> assertNoSecretIn(t.getMessage(), key.secretAccessKey()))
        .hasMessageContaining(key.accessKeyId())
        .hasMessageContaining("InvalidClientTokenId");
  }

  @Test
  void verifyRefusesAWrongSecret() {
    String user = newUser();
    IssuedKey key = create(user);
    SecretValue wrong = SecretValue.of(new StringBuilder(key.secretAccessKey().reveal()).reverse().toString());
    IssuedKey tampered = new IssuedKey(key.accessKeyId(), wrong, null, user, key.createdAt());
    assertThatThrownBy(() -> backend.verify(tampered))
        .satisfies(reason(Reason.KEY_NOT_USABLE_YET))
        .satisfies(t -> assertNoSecretIn(t.getMessage(), key.secretAccessKey(), wrong))
        .hasMessageContaining("SignatureDoesNotMatch");
  }

  /**
   * Documents a moto 5.2.5 gap: it authenticates inactive keys (AWS refuses them with
   * InvalidClientTokenId). If this starts failing, moto learned it: turn the assertion round.
   */
  @Test
  void motoStillAcceptsAnInactiveKeyUnlikeAws() {
    String user = newUser();
    IssuedKey key = create(user);
    backend.setStatus(user, key.accessKeyId(), KeyStatus.INACTIVE);
    backend.verify(key);
  }

  @Test
  void verifyThroughIamGetUserForApisWithoutSts() {
    String user = newUser();
    IssuedKey key = create(user); // the user has no permission at all: GetUser is AccessDenied
    try (AwsIamBackend eimStyle =
        AwsIamBackend.create(
            AwsBackendConfig.of(MotoServer.REGION, admin.provider())
                .withIamEndpoint(moto.endpoint())
                .withIdentityApi(IdentityApi.IAM))) {
      assertThat(eimStyle.whoAmI().userName()).isEqualTo(MotoServer.ADMIN_USER);
      eimStyle.verify(key); // AccessDenied still proves the key authenticated
      backend.delete(user, key.accessKeyId());
      assertThatThrownBy(() -> eimStyle.verify(key))
          .satisfies(reason(Reason.KEY_NOT_USABLE_YET))
          .hasMessageContaining("iam:GetUser signed with the new access key");
    }
  }

  // --- moto behaviours later tests rely on ---------------------------------------------------

  /**
   * moto keeps a user's keys in a list: ListAccessKeys returns them in creation order, also after
   * a delete, and CreateDate has microseconds, equal to what CreateAccessKey returned. AWS
   * documents neither an order nor a precision (its examples show milliseconds from
   * CreateAccessKey and whole seconds from ListAccessKeys), so the fence recovery must depend on
   * neither.
   */
  @Test
  void motoListsKeysInCreationOrderWithSubSecondCreateDates() {
    String user = newUser();
    IssuedKey a = create(user);
    IssuedKey b = create(user);
    assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(a.accessKeyId(), b.accessKeyId());
    assertThat(b.createdAt()).isAfter(a.createdAt());
    // sub-second precision: the two creates happen within the same second more often than not,
    // and a zero fraction on both is a one-in-a-million chance
    assertThat(List.of(a.createdAt().getNano(), b.createdAt().getNano())).anySatisfy(n -> assertThat(n).isNotZero());
    assertThat(backend.list(user)).extracting(KeyInfo::createdAt).containsExactly(a.createdAt(), b.createdAt());
    assertThat(Duration.between(a.createdAt(), b.createdAt())).isLessThan(Duration.ofSeconds(30));

    backend.delete(user, a.accessKeyId());
    IssuedKey c = create(user);
    assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(b.accessKeyId(), c.accessKeyId());
  }

  @Test
  void noFailureMessageCarriesASecret() {
    String user = newUser();
    IssuedKey key = create(user);
    create(user);
    List<ThrowingCallable> failures =
        List.of(
            () -> create(user),
            () -> backend.setStatus(user, "AKIAIOSFODNN7EXAMPLE", KeyStatus.INACTIVE),
            () -> backend.list("ghost-" + USERS.incrementAndGet()),
            () -> backend.verify(new IssuedKey(key.accessKeyId(), SecretValue.of("x"), null, user, key.createdAt())));
    for (ThrowingCallable f : failures) {
      assertThatThrownBy(f)
          .isInstanceOf(BackendException.class)
          .satisfies(t -> assertNoSecretIn(t.getMessage(), key.secretAccessKey(), admin.secretAccessKey()))
          .satisfies(t -> assertNoSecretIn(String.valueOf(t.getCause()), key.secretAccessKey(), admin.secretAccessKey()));
    }
  }
}
