package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.backend.KeyInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything the next lifecycle step depends on, gathered before deciding. Keys that the status
 * names but the backend no longer lists are {@code null} in {@code currentKey}/{@code previousKey}.
 *
 * @param absoluteExpiry spec.expiry, parsed; null when the spec has none
 * @param lifetime spec.expiryDuration; null when the spec has none
 * @param renewBefore spec.renewBefore; null for the default (a third of the lifetime)
 * @param enforceExpiry the backend does not expire keys itself (AWS); otherwise the backend's
 *     expiry of the current key must match the spec
 * @param secretStale the Secret holds the current key but its rendering (keys, labels) is outdated
 * @param settingsChanged the backend keeps per-key settings (MinIO) and the spec's name,
 *     description or policy differ from what was last applied to the current key
 * @param revokeRequested the keywarden.io/revoke annotation has a value not yet served
 * @param previousRevoked the previous key was replaced by a revocation: it goes at once
 * @param rollout the consumers' rollout for the published revision; null without consumers
 * @param newKey the fence's created key that this process holds on its way to the Secret; null if none
 */
public record KeyObservation(
    Instant now,
    KeyState desiredState,
    Instant absoluteExpiry,
    Duration lifetime,
    Duration renewBefore,
    boolean rotationRequested,
    boolean fencePending,
    String currentKeyId,
    Instant currentCreatedAt,
    KeyInfo currentKey,
    String previousKeyId,
    Instant previousRetireAt,
    Instant previousExpiresAt,
    KeyInfo previousKey,
    SecretHolding secret,
    boolean secretStale,
    boolean enforceExpiry,
    boolean settingsChanged,
    boolean revokeRequested,
    boolean previousRevoked,
    Retirement.Rollout rollout,
    Duration gracePeriod,
    Duration rolloutTimeout,
    NewKeyProgress newKey) {

  /** When the current key expires, or null if it never does. */
  public Instant currentExpiresAt() {
    return LifecyclePlanner.expiresAt(currentCreatedAt, absoluteExpiry, lifetime);
  }

  /** The consumers were restarted for the published revision and have not all rolled out yet. */
  public boolean rollingOut() {
    return rollout != null && rollout.startedAt() != null && rollout.finishedAt() == null;
  }

  /** What the planner decides about the previous key; null when none is held. */
  public Retirement.Decision retirement() {
    if (previousKeyId == null) {
      return null;
    }
    return Retirement.decide(new Retirement.Input(now, previousKey != null, previousExpiresAt, previousRetireAt,
        previousRevoked, rollout, gracePeriod, rolloutTimeout));
  }
}
