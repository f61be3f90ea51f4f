package dev.holdfast.postgrest.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses HTTP {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). Thread-safe. */
public final class RetryAfter {
  /** Longer hints are capped: a misconfigured proxy must not park a caller for a day. */
  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /**
   * The delay {@code value} asks for, measured from {@code now}; null when the header is absent or unreadable.
   * A date in the past means "now" ({@link Duration#ZERO}).
   */
  public static Duration parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return cap(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return MAX;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return delay.isNegative() ? Duration.ZERO : cap(delay);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration cap(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
