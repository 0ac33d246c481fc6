package io.keywarden.api.v1alpha1;

/** The schema's duration syntax, kept in one place for every duration field. */
final class Durations {
  /**
   * #d#h#m#s: each unit at most once, in that order, at least one. Written without lookahead
   * because the API server evaluates schema patterns with RE2.
   */
  static final String PATTERN =
      "^([0-9]+d([0-9]+h)?([0-9]+m)?([0-9]+s)?|[0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$";

  private Durations() {}
}
