package io.keywarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.StoppedClock;
import io.keywarden.testsupport.memory.AwsLikeBackend;
import io.keywarden.testsupport.memory.MemoryBackend;
import io.keywarden.testsupport.memory.MinioLikeBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which listing answers a drift check, and how many calls a provider costs: an account listing
 * (MinIO-like) against listings per user (AWS-like), on a stopped clock.
 */
class DriftListingsTest {
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final String PROVIDER = "AccessKeyProvider/ns/p";

  private final StoppedClock clock = new StoppedClock(Instant.parse("2026-12-02T14:00:00Z"));
  private final DriftListings listings = new DriftListings(INTERVAL, clock);
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> admitted = new ArrayList<>();

  private MemoryBackend backend(String profile) {
    MemoryBackend backend = profile.equals("minio") ? new MinioLikeBackend(clock) : new AwsLikeBackend(clock);
    for (String user : List.of("alice", "alice", "bob")) {
      String id = "K" + user.toUpperCase() + calls.size() + backend.allKeys().size();
      backend.create(new CreateKeyRequest(user, null, null, null, null, null, id, SecretValue.of("secret-of-" + id)));
    }
    backend.beforeEachCall(calls::add);
    return backend;
  }

  private List<KeyInfo> ask(MemoryBackend backend, String user, KeyStatus assumed) {
    return listings.keys(new DriftListings.Scope(PROVIDER + "|" + user, PROVIDER, user, user), backend,
        () -> admitted.add(user), assumed);
  }

  /** Users asked in one drift window, in order: the calls their provider costs. */
  @ParameterizedTest(name = "{0}: {1} asked -> {2}")
  @CsvSource(delimiter = ';', value = {
    "minio; alice bob alice; listAccount",
    "aws;   alice bob alice; list list",
    // carol holds no key: the account listing leaves her out, so her own listing answers
    "minio; alice carol;     listAccount list",
    "aws;   alice carol;     list list",
  })
  void oneAccountListingAnswersEveryUserItCovers(String profile, String users, String expectedCalls) {
    MemoryBackend backend = backend(profile);
    for (String user : users.split(" ")) {
      List<String> ids = ask(backend, user, KeyStatus.ACTIVE).stream().map(KeyInfo::accessKeyId).toList();
      assertThat(ids).as("keys of %s", user).containsExactlyInAnyOrderElementsOf(
          backend.allKeys().stream().filter(k -> k.user().equals(user)).map(KeyInfo::accessKeyId).toList());
    }
    assertThat(calls).isEqualTo(List.of(expectedCalls.split(" ")));
    assertThat(admitted).as("every call admitted by the budget").hasSameSizeAs(calls);
  }

  @Test
  void aListingWithoutStatusGivesTheConfirmedStatusAndNoneWithoutOne() {
    MemoryBackend backend = backend("minio");

    assertThat(ask(backend, "alice", KeyStatus.INACTIVE)).extracting(KeyInfo::status).containsOnly(KeyStatus.INACTIVE);
    assertThat(calls).containsExactly("listAccount");

    // no status to take (a key not Ready, or holding a previous key): the user's own listing, which tells it
    assertThat(ask(backend, "bob", null)).extracting(KeyInfo::status).containsOnly(KeyStatus.ACTIVE);
    assertThat(calls).containsExactly("listAccount", "list");
  }

  @Test
  void aUserChangedSinceTheAccountListingIsAskedItself() {
    MemoryBackend backend = backend("minio");
    ask(backend, "alice", KeyStatus.ACTIVE);
    listings.changed(PROVIDER + "|alice");

    ask(backend, "alice", KeyStatus.ACTIVE);
    ask(backend, "bob", KeyStatus.ACTIVE);
    assertThat(calls).containsExactly("listAccount", "list");

    // the provider's next slot: a new account listing, asked after the change, answers for alice again
    clock.set(DriftSchedule.nextSlot(PROVIDER, INTERVAL, clock.instant()));
    ask(backend, "alice", KeyStatus.ACTIVE);
    ask(backend, "bob", KeyStatus.ACTIVE);
    assertThat(calls).containsExactly("listAccount", "list", "listAccount");
  }

  @Test
  void aKeyDeletedOutsideIsMissingFromTheNextWindowsListing() {
    MemoryBackend backend = backend("minio");
    String bobs = ask(backend, "bob", KeyStatus.ACTIVE).get(0).accessKeyId();
    backend.deleteOutside(bobs);
    assertThat(ask(backend, "bob", KeyStatus.ACTIVE)).as("within the window: the shared answer").hasSize(1);

    clock.set(DriftSchedule.nextSlot(PROVIDER, INTERVAL, clock.instant()));
    assertThat(ask(backend, "bob", KeyStatus.ACTIVE)).as("bob's only key is gone: MinIO leaves bob out").isEmpty();
    assertThat(calls).containsExactly("listAccount", "listAccount", "list");
  }

  @Test
  void aRefusedAccountListingIsNotAskedAgainForOneInterval() {
    MemoryBackend backend = backend("minio");
    backend.beforeEachCall(operation -> {
      calls.add(operation);
      if (operation.equals("listAccount")) {
        throw new BackendException(BackendException.Reason.ACCESS_DENIED, "admin:ListUsers denied");
      }
    });
    ask(backend, "alice", KeyStatus.ACTIVE);
    ask(backend, "bob", KeyStatus.ACTIVE);
    assertThat(calls).containsExactly("listAccount", "list", "list");

    clock.advance(INTERVAL);
    ask(backend, "alice", KeyStatus.ACTIVE);
    assertThat(calls).containsExactly("listAccount", "list", "list", "listAccount", "list");
  }

  @Test
  void otherFailuresOfTheAccountListingAreTheCheck() {
    MemoryBackend backend = backend("minio");
    backend.beforeEachCall(operation -> {
      throw new BackendException(BackendException.Reason.UNAVAILABLE, "connection refused");
    });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ask(backend, "alice", KeyStatus.ACTIVE))
        .isInstanceOf(BackendException.class);
  }
}
