package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.MinioServer.Credentials;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link MinioKeyBackend} against a real MinIO server. Whether a key works is checked with the real
 * {@code mc} signing S3 requests with it, independently of keywarden's own {@code verify}.
 */
@Tag("it")
class MinioKeyBackendIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  /** Read the one bucket: narrower than readwrite, so a key with it cannot create buckets. */
  private static final String READ_DATA =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
          + "\"Resource\":[\"arn:aws:s3:::data\",\"arn:aws:s3:::data/*\"]}]}";
  private static final String EVERYTHING_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],"
          + "\"Resource\":[\"arn:aws:s3:::*\"]}]}";

  private static MinioServer minio;
  private static MinioKeyBackend backend;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.start();
    backend = backendAs(minio.rootCredentials());
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  private static MinioKeyBackend backendAs(Credentials credentials) {
    return MinioKeyBackend.create(
        MinioBackendConfig.of(minio.endpoint(), credentials.accessKey(), credentials.secretKey()));
  }

  /** A fresh user; names are unique so tests share the server without interfering. */
  private static Credentials newUserCredentials(String... policies) {
    return minio.createUser("user" + NAMES.incrementAndGet(), policies);
  }

  private static String newUser(String... policies) {
    return newUserCredentials(policies).accessKey();
  }

  private static IssuedKey createFor(String user) {
    return backend.create(new CreateKeyRequest(user, "n", null, null));
  }

  /** S3 GetObject, signed with the key by mc: allowed by readonly, readwrite and READ_DATA. */
  private static Mc.Result read(IssuedKey key) {
    return minio.mc().as(key.accessKeyId(), key.secretAccessKey()).run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  /** S3 CreateBucket, signed with the key by mc. */
  private static Mc.Result makeBucket(IssuedKey key) {
    return minio.mc().as(key.accessKeyId(), key.secretAccessKey()).run("mb", Mc.ALIAS + "/bucket" + NAMES.incrementAndGet());
  }

  private static void assertAccepted(Mc.Result result) {
    assertThat(result.ok()).as("MinIO should accept the request: %s", result).isTrue();
  }

  private static void assertRefused(Mc.Result result) {
    assertThat(result.ok()).as("MinIO should refuse the request").isFalse();
  }

  /** MinIO writes policies back with their lists in random order. */
  private static void assertSamePolicy(String actual, String expected) throws Exception {
    assertThat(MinioKeys.samePolicy(JSON.readTree(actual), JSON.readTree(expected))).as(actual).isTrue();
  }

  private static Consumer<Throwable> reason(Reason reason) {
    return t -> {
      assertThat(t).isInstanceOf(BackendException.class);
      assertThat(((BackendException) t).reason()).as(t.getMessage()).isEqualTo(reason);
    };
  }

  private static Instant inDays(int days) {
    return Instant.now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
  }

  @Test
  void whoAmINamesTheAccountTheCredentialsActFor() {
    assertThat(backend.whoAmI().userName()).isEqualTo(minio.rootCredentials().accessKey());

    String user = newUser("readwrite");
    IssuedKey userKey = createFor(user);
    Credentials asKey = new Credentials(userKey.accessKeyId(), userKey.secretAccessKey());
    // an access key acts for its user
    assertThat(backendAs(asKey).whoAmI().userName()).isEqualTo(user);
  }

  @Test
  void createsAKeyForAUserWithEveryFieldAndTheKeyWorks() throws Exception {
    String user = newUser("readwrite");
    String accessKey = MinioKeys.generateAccessKey();
    SecretValue secret = MinioKeys.generateSecretKey();
    Instant expiry = inDays(2);

    IssuedKey key = backend.create(
        new CreateKeyRequest(user, "n", "CI of team A", expiry, "ci-key", READ_DATA, accessKey, secret));

    assertThat(key.accessKeyId()).isEqualTo(accessKey);
    assertThat(key.secretAccessKey()).isEqualTo(secret);
    assertThat(key.user()).isEqualTo(user);
    MinioKeyInfo info = backend.info(accessKey).orElseThrow();
    assertThat(info.parentUser()).isEqualTo(user);
    assertThat(info.name()).isEqualTo("ci-key");
    assertThat(info.description()).isEqualTo("CI of team A");
    assertThat(info.expiresAt()).isEqualTo(expiry);
    assertThat(info.status()).isEqualTo(KeyStatus.ACTIVE);
    assertSamePolicy(info.policy(), READ_DATA);
    assertThat(backend.list(user))
        .containsExactly(new KeyInfo(accessKey, user, KeyStatus.ACTIVE, null, expiry, null));

    backend.verify(key);
    assertAccepted(read(key));
    assertRefused(makeBucket(key)); // the inline policy restricts the key below readwrite
  }

  @Test
  void createsAKeyForTheCallerWhenNoUserIsNamed() {
    Credentials userCredentials = newUserCredentials("readwrite");
    String user = userCredentials.accessKey();
    MinioKeyBackend asUser = backendAs(userCredentials);

    IssuedKey key = asUser.create(new CreateKeyRequest(null, "n", null, null));

    assertThat(key.user()).isEqualTo(user);
    assertThat(backend.info(key.accessKeyId()).orElseThrow().parentUser()).isEqualTo(user);
    assertThat(asUser.list(null)).extracting(KeyInfo::accessKeyId).containsExactly(key.accessKeyId());
    assertAccepted(makeBucket(key)); // without a policy the key has its user's rights
  }

  @Test
  void generatesCredentialsLikeMinioWhenNoneAreChosen() {
    IssuedKey key = createFor(newUser("readonly"));

    assertThat(key.accessKeyId()).matches("[0-9A-Z]{20}");
    assertThat(key.secretAccessKey().reveal()).matches("[A-Za-z0-9+]{40}");
    assertAccepted(read(key));
  }

  @Test
  void updatesNameDescriptionPolicyExpiryAndStatusInPlace() throws Exception {
    String user = newUser("readwrite");
    IssuedKey key = createFor(user);
    Instant expiry = inDays(30);

    KeySettings settings = new KeySettings("renamed", "now described", READ_DATA, expiry, KeyStatus.ACTIVE);
    assertThat(backend.update(user, key.accessKeyId(), settings)).isTrue();
    assertThat(backend.update(user, key.accessKeyId(), settings)).as("nothing left to change").isFalse();

    MinioKeyInfo info = backend.info(key.accessKeyId()).orElseThrow();
    assertThat(info.name()).isEqualTo("renamed");
    assertThat(info.description()).isEqualTo("now described");
    assertThat(info.expiresAt()).isEqualTo(expiry);
    assertSamePolicy(info.policy(), READ_DATA);
    assertRefused(makeBucket(key)); // the new policy applies at once
    assertAccepted(read(key));

    // no policy and no expiry: both removed; disabled
    assertThat(backend.update(user, key.accessKeyId(), new KeySettings(null, null, null, null, KeyStatus.INACTIVE)))
        .isTrue();
    info = backend.info(key.accessKeyId()).orElseThrow();
    assertThat(info.policy()).isNull();
    assertThat(info.expiresAt()).isNull();
    assertThat(info.status()).isEqualTo(KeyStatus.INACTIVE);
    assertThat(info.name()).as("MinIO cannot remove a name; null leaves it").isEqualTo("renamed");
    assertRefused(read(key));
  }

  @Test
  void disablingAndEnablingKeepTheInlinePolicy() throws Exception {
    String user = newUser("readwrite");
    IssuedKey key = backend.create(new CreateKeyRequest(user, "n", null, null, null, READ_DATA, null, null));

    backend.setStatus(user, key.accessKeyId(), KeyStatus.INACTIVE);
    assertThat(backend.info(key.accessKeyId()).orElseThrow().status()).isEqualTo(KeyStatus.INACTIVE);
    assertRefused(read(key));
    assertThatThrownBy(() -> backend.verify(key)).satisfies(reason(Reason.KEY_NOT_USABLE_YET));

    backend.setStatus(user, key.accessKeyId(), KeyStatus.ACTIVE);
    MinioKeyInfo info = backend.info(key.accessKeyId()).orElseThrow();
    assertThat(info.status()).isEqualTo(KeyStatus.ACTIVE);
    assertSamePolicy(info.policy(), READ_DATA);
    backend.verify(key);
    assertAccepted(read(key));
    assertRefused(makeBucket(key)); // still restricted: MinIO alone would have dropped the policy
  }

  @Test
  void deletesAndDeletingAgainSucceeds() {
    String user = newUser("readwrite");
    IssuedKey key = createFor(user);
    IssuedKey other = createFor(user);

    backend.delete(user, key.accessKeyId());

    assertThat(backend.info(key.accessKeyId())).isEmpty();
    assertThat(backend.list(user)).extracting(KeyInfo::accessKeyId).containsExactly(other.accessKeyId());
    assertRefused(read(key));
    assertThatThrownBy(() -> backend.verify(key)).satisfies(reason(Reason.KEY_NOT_USABLE_YET));
    backend.delete(user, key.accessKeyId());
    assertAccepted(read(other));
  }

  @Test
  void neverTouchesAnotherUsersKey() {
    String alice = newUser("readwrite");
    String bob = newUser("readwrite");
    IssuedKey bobs = createFor(bob);

    backend.delete(alice, bobs.accessKeyId());
    assertThatThrownBy(() -> backend.setStatus(alice, bobs.accessKeyId(), KeyStatus.INACTIVE))
        .satisfies(reason(Reason.NOT_FOUND));

    assertThat(backend.info(bobs.accessKeyId()).orElseThrow().status()).isEqualTo(KeyStatus.ACTIVE);
  }

  /**
   * The issue expects MinIO to refuse a policy wider than the user's. The pinned MinIO accepts it
   * and intersects it with the user's rights on every request: the key gets nothing more.
   */
  @Test
  void aPolicyWiderThanTheUsersGrantsNothingMore() {
    String user = newUser("readonly");

    IssuedKey key = backend.create(new CreateKeyRequest(user, "n", null, null, null, EVERYTHING_S3, null, null));

    assertAccepted(read(key));
    assertRefused(makeBucket(key));
  }

  @Test
  void adoptsItsOwnKeyWhenTheAccessKeyIsTakenAndRefusesOthers() {
    String user = newUser("readwrite");
    String accessKey = MinioKeys.generateAccessKey();
    SecretValue secret = MinioKeys.generateSecretKey();
    CreateKeyRequest request = new CreateKeyRequest(user, "n", "first", null, null, null, accessKey, secret);
    backend.create(request);

    // a retry after a lost answer: same user, same secret
    IssuedKey adopted = backend.create(request);
    assertThat(adopted.accessKeyId()).isEqualTo(accessKey);
    assertThat(adopted.secretAccessKey()).isEqualTo(secret);
    assertThat(backend.list(user)).hasSize(1);

    CreateKeyRequest otherSecret =
        new CreateKeyRequest(user, "n", null, null, null, null, accessKey, MinioKeys.generateSecretKey());
    assertThatThrownBy(() -> backend.create(otherSecret))
        .isInstanceOfSatisfying(AccessKeyTakenException.class, e -> {
          assertThat(e.accessKeyId()).isEqualTo(accessKey);
          assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
        });

    CreateKeyRequest otherUser = new CreateKeyRequest(newUser("readwrite"), "n", null, null, null, null, accessKey, secret);
    assertThatThrownBy(() -> backend.create(otherUser))
        .isInstanceOfSatisfying(AccessKeyTakenException.class, e -> assertThat(e.getMessage()).contains("another user"));
    assertAccepted(read(adopted));
  }

  @Test
  void refusesBadInputBeforeSendingIt() {
    String user = newUser("readwrite");
    SecretValue secret = MinioKeys.generateSecretKey();

    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(user, "n", null, null, null, null, "a=b", secret)))
        .satisfies(reason(Reason.INVALID_REQUEST))
        .hasMessageContaining("access key");
    String tooLong = READ_DATA.replace("\"Effect\"", " ".repeat(2048) + "\"Effect\"");
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(user, "n", null, null, null, tooLong, null, null)))
        .satisfies(reason(Reason.INVALID_REQUEST))
        .hasMessageContaining("2048");
    Instant soon = Instant.now().plus(Duration.ofMinutes(10));
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(user, "n", null, soon)))
        .satisfies(reason(Reason.INVALID_REQUEST))
        .hasMessageContaining("15 minutes");

    assertThat(backend.list(user)).isEmpty();
  }

  @Test
  void mapsMinioRefusals() {
    assertThatThrownBy(() -> createFor("nobody-" + NAMES.incrementAndGet())).satisfies(reason(Reason.NOT_FOUND));
    // MinIO parses the policy: a statement without Action is refused
    String noAction = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::*\"]}]}";
    assertThatThrownBy(() -> backend.create(new CreateKeyRequest(newUser("readwrite"), "n", null, null, null, noAction, null, null)))
        .satisfies(reason(Reason.INVALID_REQUEST));

    Credentials wrong = new Credentials(minio.rootCredentials().accessKey(), MinioKeys.generateSecretKey());
    assertThatThrownBy(() -> backendAs(wrong).whoAmI()).satisfies(reason(Reason.AUTHENTICATION));
    Credentials unknown = new Credentials("nobody", MinioKeys.generateSecretKey());
    assertThatThrownBy(() -> backendAs(unknown).list(null)).satisfies(reason(Reason.AUTHENTICATION));
    Credentials plainUser = newUserCredentials("readonly");
    assertThatThrownBy(() -> backendAs(plainUser).list(newUser())).satisfies(reason(Reason.ACCESS_DENIED));

    MinioKeyBackend nowhere =
        MinioKeyBackend.create(MinioBackendConfig.of(URI.create("http://127.0.0.1:1"), "root", MinioKeys.generateSecretKey()));
    assertThatThrownBy(nowhere::whoAmI).satisfies(reason(Reason.UNAVAILABLE));
  }

  /**
   * {@code list-access-keys-bulk} for all users: every user's keys in one call, with their expiry
   * and without their status; users without keys left out; refused without admin:ListUsers, which
   * keywarden's policy (docs/policies/minio-keywarden.json) does not grant.
   */
  @Test
  void listsTheKeysOfEveryUserInOneCallWithExpiryButNotStatus() throws Exception {
    String alice = newUser("readwrite");
    String bob = newUser("readwrite");
    String carol = newUser("readwrite");
    Instant expiry = inDays(3);
    IssuedKey expiring = backend.create(new CreateKeyRequest(alice, "n", null, expiry));
    IssuedKey disabled = createFor(alice);
    backend.setStatus(alice, disabled.accessKeyId(), KeyStatus.INACTIVE);
    IssuedKey bobs = createFor(bob);

    Map<String, List<KeyInfo>> all = backend.listAccount();

    assertThat(all).containsKeys(alice, bob).doesNotContainKey(carol);
    assertThat(all.get(alice)).extracting(KeyInfo::accessKeyId)
        .containsExactlyInAnyOrder(expiring.accessKeyId(), disabled.accessKeyId());
    assertThat(all.get(alice)).filteredOn(k -> k.accessKeyId().equals(expiring.accessKeyId()))
        .singleElement().satisfies(k -> assertThat(k.expiresAt()).isEqualTo(expiry));
    assertThat(all.get(alice)).extracting(KeyInfo::status).as("the bulk listing tells no status").containsOnlyNulls();
    assertThat(all.get(bob)).extracting(KeyInfo::accessKeyId, KeyInfo::user).containsExactly(
        org.assertj.core.groups.Tuple.tuple(bobs.accessKeyId(), bob));

    minio.createPolicy("keywarden-only", java.nio.file.Files.readString(
        java.nio.file.Path.of("docs/policies/minio-keywarden.json")));
    MinioKeyBackend leastPrivilege = backendAs(newUserCredentials("keywarden-only"));
    assertThatThrownBy(leastPrivilege::listAccount).satisfies(reason(Reason.ACCESS_DENIED));
  }

  @Test
  void looksUpOnlyTheNamedKeysOfTheUser() {
    String user = newUser("readwrite");
    String other = newUser("readwrite");
    IssuedKey first = createFor(user);
    IssuedKey second = createFor(user);
    createFor(user); // not asked for
    IssuedKey someoneElses = createFor(other);
    Map<String, KeyInfo> found = backend.lookup(user,
        Set.of(first.accessKeyId(), second.accessKeyId(), someoneElses.accessKeyId(), "NOSUCHKEY123"));
    assertThat(found).containsOnlyKeys(first.accessKeyId(), second.accessKeyId());
    assertThat(found.get(first.accessKeyId()).user()).isEqualTo(user);
    assertThat(found.get(first.accessKeyId()).status()).isEqualTo(KeyStatus.ACTIVE);
  }

  @Test
  void boundsConcurrentAdminCallsWithoutFailingThem() throws Exception {
    String user = newUser("readwrite");
    createFor(user);
    // two backends (two providers) share one limit, as the operator's MinIO backends do
    AdminCallLimit one = new AdminCallLimit(1);
    List<MinioKeyBackend> backends = List.of(
        MinioKeyBackend.create(backend.config().withAdminCalls(one)), MinioKeyBackend.create(backend.config().withAdminCalls(one)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<KeyInfo>>> lists = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        MinioKeyBackend oneAtATime = backends.get(i % 2);
        lists.add(pool.submit(() -> oneAtATime.list(user)));
      }
      for (Future<List<KeyInfo>> list : lists) {
        assertThat(list.get()).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
