package io.keywarden.reconciler;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.expiry.ExpiryParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec's wishes in typed form, after the checks the schema cannot make. Every failure names
 * the field it comes from.
 */
public record DesiredKey(
    String user,
    String description,
    KeyState state,
    Instant absoluteExpiry,
    Duration lifetime,
    Duration renewBefore,
    Duration gracePeriod) {

  /** Shorter lifetimes would rotate faster than a rotation completes. */
  static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  public static DesiredKey from(AccessKeySpec spec) {
    ZoneId zone = ZoneOffset.UTC;
    if (spec.expiryTimeZone != null) {
      try {
        zone = ZoneId.of(spec.expiryTimeZone);
      } catch (DateTimeException e) {
        throw SpecProblem.invalid("spec.expiryTimeZone", "unknown time zone " + quote(spec.expiryTimeZone));
      }
    }
    Instant absolute = null;
    if (spec.expiry != null) {
      try {
        absolute = ExpiryParser.parseExpiry(spec.expiry, zone);
      } catch (IllegalArgumentException e) {
        throw SpecProblem.invalid("spec.expiry", e.getMessage());
      }
    }
    Duration lifetime = duration("spec.expiryDuration", spec.expiryDuration);
    if (lifetime != null && lifetime.compareTo(MIN_LIFETIME) < 0) {
      throw SpecProblem.invalid("spec.expiryDuration", "must be at least 1m");
    }
    Duration renewBefore = duration("spec.renewBefore", spec.renewBefore);
    if (renewBefore != null && lifetime != null && renewBefore.compareTo(lifetime) >= 0) {
      throw SpecProblem.invalid(
          "spec.renewBefore",
          spec.renewBefore + " must be shorter than spec.expiryDuration " + spec.expiryDuration);
    }
    checkSecretKeys(spec.secret == null ? null : spec.secret.keys);
    Rotation rotation = spec.rotation;
    String grace = rotation != null && rotation.gracePeriod != null ? rotation.gracePeriod : Rotation.DEFAULT_GRACE_PERIOD;
    Duration gracePeriod = duration("spec.rotation.gracePeriod", grace);
    return new DesiredKey(
        spec.user, spec.description, spec.effectiveState(), absolute, lifetime, renewBefore, gracePeriod);
  }

  /** Secret data keys: the API server's own rule, checked here so the error names the field. */
  private static void checkSecretKeys(Map<String, String> renames) {
    if (renames == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    renames.forEach((from, to) -> {
      if (to == null || !SECRET_KEY.matcher(to).matches() || to.length() > 253) {
        throw SpecProblem.invalid("spec.secret.keys." + from, quote(String.valueOf(to))
            + " is not a valid Secret key (letters, digits, '-', '_' and '.')");
      }
      if (!seen.add(to)) {
        throw SpecProblem.invalid("spec.secret.keys." + from, quote(to) + " is used for two keys");
      }
    });
  }

  private static Duration duration(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return ExpiryParser.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw SpecProblem.invalid(field, e.getMessage());
    }
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
