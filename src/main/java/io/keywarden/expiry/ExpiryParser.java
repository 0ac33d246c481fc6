package io.keywarden.expiry;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the expiry dates and durations that the tools keywarden replaces accept (MinIO {@code mc
 * --expiry} / {@code --expiry-duration}, Outscale {@code ExpirationDate}), so that a value copied
 * from a script keeps its meaning in an {@code AccessKey}.
 *
 * <p>Only those forms are accepted, exactly: no trimming, no lower-case {@code t}/{@code z}, no
 * space instead of {@code T}. A spec that is almost right is rejected with a message saying what
 * would be right, rather than guessed at.
 */
public final class ExpiryParser {

  /**
   * The {@code #d#h#m#s} duration syntax, shared with the CRD schema so that the API server rejects
   * a malformed duration before keywarden sees it.
   *
   * <p>The API server checks CRD patterns with Go's RE2, which has no lookaround, so the empty
   * string is excluded by alternation (a duration starts with its largest unit) rather than by a
   * lookahead. It is anchored because RE2 searches for a match inside the value. A regular
   * expression cannot state the numeric limits: a zero total ({@code 0s}) and a duration longer
   * than 100 years match it, and only {@link #parseDuration} rejects them.
   */
  public static final String DURATION_PATTERN =
      "^(?:[0-9]+d(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?"
          + "|[0-9]+h(?:[0-9]+m)?(?:[0-9]+s)?"
          + "|[0-9]+m(?:[0-9]+s)?"
          + "|[0-9]+s)$";

  /**
   * Longest accepted duration. Far beyond any sensible key lifetime; it exists so that a typo of
   * extra digits is an error instead of an overflow or a key that never rotates.
   */
  private static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** Duration units, largest first; the order they must appear in. */
  private static final String UNITS = "dhms";

  private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};

  private static final String DURATION_HELP =
      "expected #d#h#m#s: whole numbers with the units d, h, m, s in that order, each at most once,"
          + " e.g. 30m, 24h, 7d, 5d12h30s";

  private static final String DATE = "(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})";
  private static final String HOUR_MINUTE = "T(?<hour>[0-9]{2}):(?<minute>[0-9]{2})";

  private static final Pattern DATE_ONLY = Pattern.compile(DATE);

  /** Seconds are optional here, as in {@code mc}; fractions are not, no reference shows them. */
  private static final Pattern LOCAL_DATE_TIME =
      Pattern.compile(DATE + HOUR_MINUTE + "(?::(?<second>[0-9]{2}))?");

  /**
   * RFC 3339 (seconds required, fraction optional, upper-case {@code T} and {@code Z}), plus the
   * offset without a colon that Outscale returns ({@code 2010-10-01T12:34:56.789+0000}).
   */
  private static final Pattern OFFSET_DATE_TIME =
      Pattern.compile(
          DATE
              + HOUR_MINUTE
              + ":(?<second>[0-9]{2})(?:\\.(?<fraction>[0-9]{1,9}))?"
              + "(?:Z|(?<sign>[+-])(?<offsetHours>[0-9]{2}):?(?<offsetMinutes>[0-9]{2}))");

  private ExpiryParser() {}

  /**
   * The instant an expiry written in a spec stands for.
   *
   * <p>A date alone means the start of that day, as in {@code mc} (the key is invalid from that
   * midnight on); where a zone skips or repeats midnight, it is the first instant of the day. Forms
   * without an offset are read in {@code zoneForLocalTimes}: the caller passes UTC unless the
   * resource names a zone, because the operator's own zone is an accident of where it runs (where
   * {@code mc} would use the machine's zone). In a daylight-saving gap a local time moves forward
   * by the length of the gap (02:30 on a spring-forward night becomes 03:30); in an overlap the
   * earlier of the two instants is taken, so the key expires sooner rather than later.
   *
   * @throws InvalidExpiryException if {@code text} is not one of the accepted forms or not a real
   *     date and time (such as February 30, a leap second 23:59:60, which java.time cannot hold, or
   *     an offset beyond ±18:00)
   */
  public static Instant parseExpiry(String text, ZoneId zoneForLocalTimes) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(zoneForLocalTimes, "zoneForLocalTimes");
    try {
      Matcher withOffset = OFFSET_DATE_TIME.matcher(text);
      if (withOffset.matches()) {
        return LocalDateTime.of(date(withOffset), time(withOffset, nanos(withOffset)))
            .toInstant(offset(withOffset));
      }
      Matcher local = LOCAL_DATE_TIME.matcher(text);
      if (local.matches()) {
        return LocalDateTime.of(date(local), time(local, 0)).atZone(zoneForLocalTimes).toInstant();
      }
      Matcher dateOnly = DATE_ONLY.matcher(text);
      if (dateOnly.matches()) {
        return date(dateOnly).atStartOfDay(zoneForLocalTimes).toInstant();
      }
    } catch (DateTimeException e) {
      throw new InvalidExpiryException(
          "expiry "
              + quote(text)
              + " is not a valid date and time ("
              + e.getMessage()
              + "); "
              + acceptedExpiryForms(zoneForLocalTimes),
          e);
    }
    throw new InvalidExpiryException(
        "expiry "
            + quote(text)
            + " is not in an accepted format; "
            + acceptedExpiryForms(zoneForLocalTimes));
  }

  /**
   * Reads a {@code #d#h#m#s} duration such as {@code 30m}, {@code 7d} or {@code 5d12h30s}. A day is
   * 24 hours, not a calendar day: a lifetime does not stretch or shrink across a daylight-saving
   * change.
   *
   * @throws InvalidExpiryException naming the problem: empty, negative, a unit that is unknown,
   *     repeated, out of order or without a number, a number without a unit, a zero total, or more
   *     than 100 years
   */
  public static Duration parseDuration(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw durationError(text, "is empty");
    }
    if (text.charAt(0) == '-') {
      throw durationError(text, "is negative");
    }
    long totalSeconds = 0;
    int previousUnit = -1;
    int pos = 0;
    while (pos < text.length()) {
      int digitsStart = pos;
      while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == text.length()) {
        throw durationError(
            text, "ends with the number " + text.substring(digitsStart) + " without a unit");
      }
      char symbol = text.charAt(pos);
      int unit = UNITS.indexOf(symbol);
      boolean afterNumber = pos > digitsStart;
      if (unit >= 0 && !afterNumber) {
        throw durationError(text, "has the unit '" + symbol + "' without a number before it");
      }
      if (unit < 0 && afterNumber && Character.isLetter(symbol)) {
        throw durationError(text, "has the unknown unit '" + symbol + "'");
      }
      if (unit < 0) {
        String character = quote(String.valueOf(symbol));
        throw durationError(
            text, "has the unexpected character " + character + " at position " + pos);
      }
      if (unit == previousUnit) {
        throw durationError(text, "repeats the unit '" + symbol + "'");
      }
      if (unit < previousUnit) {
        throw durationError(
            text, "has the unit '" + symbol + "' after '" + UNITS.charAt(previousUnit) + "'");
      }
      BigInteger count = new BigInteger(text.substring(digitsStart, pos));
      if (count.compareTo(BigInteger.valueOf(MAX_DURATION.getSeconds() / UNIT_SECONDS[unit])) > 0) {
        throw tooLong(text);
      }
      totalSeconds += count.longValueExact() * UNIT_SECONDS[unit];
      previousUnit = unit;
      pos++;
    }
    if (totalSeconds > MAX_DURATION.getSeconds()) {
      throw tooLong(text);
    }
    if (totalSeconds == 0) {
      throw durationError(text, "is zero; a duration must be longer than that");
    }
    return Duration.ofSeconds(totalSeconds);
  }

  /**
   * The canonical {@code #d#h#m#s} form of a duration, for messages and status: largest units
   * first, zero units left out ({@code 24h} becomes {@code 1d}). Fractions of a second are dropped,
   * so a computed remaining time reads well; a duration under one second is {@code 0s}, the one
   * output {@link #parseDuration} refuses.
   *
   * @throws IllegalArgumentException if {@code duration} is negative, which the form cannot express
   */
  public static String formatDuration(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration " + duration + " has no #d#h#m#s form");
    }
    long remaining = duration.getSeconds();
    StringBuilder out = new StringBuilder();
    for (int unit = 0; unit < UNITS.length(); unit++) {
      long count = remaining / UNIT_SECONDS[unit];
      if (count > 0) {
        out.append(count).append(UNITS.charAt(unit));
        remaining -= count * UNIT_SECONDS[unit];
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }

  private static LocalDate date(Matcher m) {
    return LocalDate.of(number(m, "year"), number(m, "month"), number(m, "day"));
  }

  private static LocalTime time(Matcher m, int nanos) {
    int second = m.group("second") == null ? 0 : number(m, "second");
    return LocalTime.of(number(m, "hour"), number(m, "minute"), second, nanos);
  }

  /** The fraction's digits as nanoseconds: {@code .789} is 789,000,000 ns. */
  private static int nanos(Matcher m) {
    String fraction = m.group("fraction");
    return fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
  }

  private static ZoneOffset offset(Matcher m) {
    String sign = m.group("sign");
    if (sign == null) {
      return ZoneOffset.UTC;
    }
    int direction = sign.equals("-") ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(
        direction * number(m, "offsetHours"), direction * number(m, "offsetMinutes"));
  }

  private static int number(Matcher m, String group) {
    return Integer.parseInt(m.group(group));
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String acceptedExpiryForms(ZoneId zoneForLocalTimes) {
    return "accepted are 2024-10-24 (midnight), 2024-10-24T10:00 and 2024-10-24T10:00:00"
        + " (these three in "
        + zoneForLocalTimes
        + "), RFC 3339 such as 2024-10-24T10:00:00Z or 2024-10-24T10:00:00.5-07:00,"
        + " and an offset without colon such as 2010-10-01T12:34:56.789+0000";
  }

  private static InvalidExpiryException durationError(String text, String problem) {
    return new InvalidExpiryException(
        "duration " + quote(text) + " " + problem + "; " + DURATION_HELP);
  }

  private static InvalidExpiryException tooLong(String text) {
    return durationError(
        text, "is longer than the maximum of 100 years (" + formatDuration(MAX_DURATION) + ")");
  }

  /**
   * The input in double quotes with quotes, backslashes and control characters escaped, so that a
   * stray newline or space is visible in a condition message.
   */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
