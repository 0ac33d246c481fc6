package io.keywarden.drift;

import io.keywarden.backend.AccountListing;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user's keys as a drift check sees them: from the provider's account-wide listing where the
 * backend has one ({@link AccountListing}), shared by every key of the provider until the
 * provider's next slot; else from the user's own listing, shared per (provider, user) scope (see
 * {@link SharedAnswers}). A provider whose backend lists its whole account thus costs one call
 * per drift interval, whatever its users.
 *
 * <p>The account listing answers for a user only if it was asked after keywarden last changed
 * that user's keys; otherwise, and for users it does not cover, the user's own listing answers.
 * A backend that refuses the account listing (a missing permission) is asked per user for one
 * interval. As with every shared answer, what comes from here only ever confirms that nothing
 * needs doing: a difference is asked again, afresh, before anything is done about it.
 */
public final class DriftListings {
  /** An account listing and the change count when it was asked: changes up to that count are in it. */
  private record AccountAnswer(Map<String, List<KeyInfo>> byUser, long askedAfterChange) {}

  private final Duration interval;
  private final Clock clock;
  private final SharedAnswers<List<KeyInfo>> perUser;
  private final SharedAnswers<AccountAnswer> perProvider;
  /** Counts keywarden's changes: orders them against account listings without comparing instants. */
  private final AtomicLong changes = new AtomicLong();
  private final ConcurrentMap<String, Long> lastChange = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Instant> refusedUntil = new ConcurrentHashMap<>();

  public DriftListings(Duration interval, Clock clock) {
    this.interval = interval;
    this.clock = clock;
    this.perUser = new SharedAnswers<>(interval, clock);
    this.perProvider = new SharedAnswers<>(interval, clock);
  }

  /**
   * Whose keys.
   *
   * @param scope the (provider, user) scope, which shares the user's own listing
   * @param provider the provider's id, which shares an account listing
   * @param user the user as calls name it; null for the caller's own identity
   * @param owner the user's name as listings give it (the caller's name for null)
   */
  public record Scope(String scope, String provider, String user, String owner) {}

  /**
   * The user's keys for a drift check.
   *
   * @param admit asked before each backend call (the provider's call budget)
   * @param assumed the status taken for keys whose listing does not tell it: the status the key's
   *     last check confirmed (a difference would have been acted on); null when there is none to
   *     take, and then only a listing that tells the status answers
   */
  public List<KeyInfo> keys(Scope who, KeyBackend backend, Runnable admit, KeyStatus assumed) {
    if (backend instanceof AccountListing account && !refused(who.provider())) {
      AccountAnswer answer;
      try {
        answer = perProvider.get(who.provider(), () -> {
          admit.run();
          long asked = changes.get();
          return new AccountAnswer(account.listAccount(), asked);
        });
      } catch (BackendException e) {
        if (e.reason() != BackendException.Reason.ACCESS_DENIED) {
          throw e;
        }
        refusedUntil.put(who.provider(), clock.instant().plus(interval));
        answer = null;
      }
      List<KeyInfo> part = answer == null ? null : partFor(answer, who, assumed);
      if (part != null) {
        return part;
      }
    }
    return perUser.get(who.scope(), () -> {
      admit.run();
      return backend.list(who.user());
    });
  }

  /** keywarden changed the scope's keys: neither the user's listing nor an account listing asked before answers for it. */
  public void changed(String scope) {
    lastChange.put(scope, changes.incrementAndGet());
    perUser.invalidate(scope);
  }

  /** The account listing's keys of the user, or null when it does not answer for the user. */
  private List<KeyInfo> partFor(AccountAnswer answer, Scope who, KeyStatus assumed) {
    Long changed = lastChange.get(who.scope());
    if (changed != null && changed > answer.askedAfterChange()) {
      return null;
    }
    List<KeyInfo> keys = answer.byUser().get(who.owner());
    if (keys == null || keys.stream().allMatch(k -> k.status() != null)) {
      return keys;
    }
    if (assumed == null) {
      return null;
    }
    return keys.stream().map(k -> k.status() != null ? k
        : new KeyInfo(k.accessKeyId(), k.user(), assumed, k.createdAt(), k.expiresAt(), k.tag())).toList();
  }

  private boolean refused(String provider) {
    Instant until = refusedUntil.get(provider);
    return until != null && clock.instant().isBefore(until);
  }
}
