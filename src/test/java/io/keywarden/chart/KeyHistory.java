package io.keywarden.chart;

import io.keywarden.testsupport.MotoServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * What moto holds for some users, read twice a second: when each access key was first seen, and
 * when it was first seen inactive or gone (retired). Observed from outside keywarden, so the
 * ordering of retirements and pod readiness rests on the backend, not on what keywarden says.
 */
final class KeyHistory implements AutoCloseable {
  private final MotoServer moto;
  private final List<String> users;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private final Map<String, Instant> retired = new HashMap<>();
  private final Map<String, String> userOf = new HashMap<>();

  KeyHistory(MotoServer moto, List<String> users) {
    this.moto = moto;
    this.users = users;
    poller.scheduleWithFixedDelay(this::read, 0, 500, TimeUnit.MILLISECONDS);
  }

  private void read() {
    try (IamClient iam = moto.iamClient(moto.adminCredentials())) {
      Map<String, Boolean> active = new HashMap<>();
      for (String user : users) {
        for (AccessKeyMetadata key : iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata()) {
          active.put(key.accessKeyId(), key.status() == StatusType.ACTIVE);
          synchronized (this) {
            userOf.put(key.accessKeyId(), user);
          }
        }
      }
      Instant now = Instant.now();
      synchronized (this) {
        active.forEach((id, on) -> {
          firstSeen.putIfAbsent(id, now);
          if (!on) {
            retired.putIfAbsent(id, now);
          }
        });
        firstSeen.keySet().stream().filter(id -> !active.containsKey(id)).forEach(id -> retired.putIfAbsent(id, now));
      }
    } catch (RuntimeException e) {
      // moto busy or restarting: the next read catches up
    }
  }

  /** When the key was first seen inactive or gone, if it was. */
  synchronized Optional<Instant> retiredAt(String keyId) {
    return Optional.ofNullable(retired.get(keyId));
  }

  /** The keys of a user seen so far that were never retired. */
  synchronized List<String> liveKeys(String user) {
    return firstSeen.keySet().stream().filter(id -> user.equals(userOf.get(id)) && !retired.containsKey(id)).sorted()
        .toList();
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
