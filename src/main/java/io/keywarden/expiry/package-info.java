/**
 * Expiry dates, durations and the times derived from them: when a key is renewed, when the key it
 * replaces is retired, how long to wait after a failure.
 *
 * <p>Everything here is pure: the current time is never read, callers pass instants (taken from
 * an injected {@link java.time.Clock}) so the reconciler's timing can be tested without waiting.
 */
package io.keywarden.expiry;
