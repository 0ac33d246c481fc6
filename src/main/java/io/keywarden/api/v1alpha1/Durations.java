package io.keywarden.api.v1alpha1;

import io.keywarden.expiry.ExpiryParser;

/** The schema's duration syntax, kept in one place for every duration field. */
final class Durations {
  /**
   * #d#h#m#s: each unit at most once, in that order, at least one (RE2-compatible, as the API
   * server requires).
   */
  static final String PATTERN = ExpiryParser.DURATION_PATTERN;

  /**
   * The date forms {@link ExpiryParser#parseExpiry} accepts, so garbage is refused at admission;
   * the parser still has the last word (calendar validity, time zones).
   */
  static final String EXPIRY_PATTERN =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?$";

  private Durations() {}
}
