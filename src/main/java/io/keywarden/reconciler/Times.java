package io.keywarden.reconciler;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Status timestamps: RFC 3339 in UTC at second precision, as Kubernetes writes its own. */
public final class Times {
  private Times() {}

  public static String format(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  public static Instant parse(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
