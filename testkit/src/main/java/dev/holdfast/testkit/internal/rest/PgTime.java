package dev.holdfast.testkit.internal.rest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code timestamptz}, {@code timestamp} and {@code date} in ISO 8601 (with a space or {@code T}, fractions
 * rounded to microseconds, offsets {@code Z}/{@code ±hh}/{@code ±hh:mm}), plus {@code infinity}, {@code epoch},
 * {@code now}, {@code today}. Stored canonically ({@code 2024-01-01T08:00:00.5+00:00} for an instant, as
 * PostgREST prints it in UTC); printed in JSON and in PostgreSQL's text form. Other formats PostgreSQL accepts
 * ({@code Jan 1 2024}, {@code 1/2/2024}) are not emulated and fail with {@link Unsupported}. Stateless.
 */
public final class PgTime {
  private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2})"
      + "(?::(\\d{2})(?:\\.(\\d+))?)?)?\\s*(Z|z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?)?");

  private PgTime() {}

  /** A date/time text MockPostgrest does not read. */
  public static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  static String parse(PgType type, String text, ZoneId zone) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "infinity", "+infinity" -> {
        return "infinity";
      }
      case "-infinity" -> {
        return "-infinity";
      }
      default -> { }
    }
    Instant now = Instant.now();
    LocalDateTime local;
    ZoneOffset offset = null;
    if (lower.equals("epoch")) {
      local = LocalDateTime.of(1970, 1, 1, 0, 0);
      offset = ZoneOffset.UTC;
    } else if (lower.equals("now")) {
      local = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
      offset = ZoneOffset.UTC;
    } else if (lower.equals("today") || lower.equals("tomorrow") || lower.equals("yesterday")) {
      LocalDate today = LocalDate.ofInstant(now, zone);
      local = (lower.equals("today") ? today : lower.equals("tomorrow") ? today.plusDays(1) : today.minusDays(1))
          .atStartOfDay();
    } else {
      Matcher m = ISO.matcher(s);
      if (!m.matches()) {
        if (s.chars().noneMatch(Character::isDigit)) {
          throw new PgError("22007", "invalid input syntax for type " + type.name() + ": \"" + text + "\"", null,
              null);
        }
        throw new Unsupported(type.name() + " values outside ISO 8601 ('" + text + "'); it reads YYYY-MM-DD"
            + (type.kind == PgType.Kind.DATE ? "" : "[T ]HH:MM[:SS[.ffffff]][Z|+hh[:mm]]"));
      }
      local = local(type, text, m);
      offset = m.group(8) == null ? null : offset(m.group(8));
    }
    return switch (type.kind) {
      case DATE -> local.toLocalDate().toString();
      case TIMESTAMP -> isoLocal(local);
      default -> {
        Instant at = offset != null ? local.toInstant(offset) : local.atZone(zone).toInstant();
        yield json(at, ZoneOffset.UTC);
      }
    };
  }

  private static LocalDateTime local(PgType type, String text, Matcher m) {
    try {
      LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)));
      if (m.group(4) == null) {
        return date.atStartOfDay();
      }
      int hour = Integer.parseInt(m.group(4));
      int minute = Integer.parseInt(m.group(5));
      int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
      long micros = m.group(7) == null ? 0 : new BigDecimal("0." + m.group(7)).movePointRight(6)
          .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
      if (hour == 24 && minute == 0 && second == 0 && micros == 0) {
        return date.plusDays(1).atStartOfDay();
      }
      LocalDateTime t = LocalDateTime.of(date, LocalTime.of(hour, minute, second));
      return t.plusNanos(micros * 1000);
    } catch (DateTimeException | ArithmeticException e) {
      throw new PgError("22008", "date/time field value out of range: \"" + text + "\"", null, null);
    }
  }

  private static ZoneOffset offset(String z) {
    if (z.equalsIgnoreCase("z") || z.equals("UTC") || z.equals("GMT")) {
      return ZoneOffset.UTC;
    }
    String digits = z.substring(1).replace(":", "");
    int h = Integer.parseInt(digits.substring(0, digits.length() <= 2 ? digits.length() : 2));
    int min = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
    int sec = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
    int total = h * 3600 + min * 60 + sec;
    return ZoneOffset.ofTotalSeconds(z.startsWith("-") ? -total : total);
  }

  /** The instant of a stored {@code timestamptz}, or null for an infinity. */
  public static Instant instant(String stored) {
    return stored.endsWith("infinity") ? null : OffsetDateTime.parse(stored).toInstant();
  }

  /** A stored {@code timestamptz} in JSON, in {@code zone}: {@code 2024-01-01T10:00:00.5+02:00}. */
  public static String json(String stored, ZoneId zone) {
    Instant at = instant(stored);
    return at == null ? stored : json(at, zone);
  }

  private static String json(Instant at, ZoneId zone) {
    OffsetDateTime t = at.atZone(zone).toOffsetDateTime();
    return isoLocal(t.toLocalDateTime()) + offsetText(t.getOffset(), true);
  }

  private static String isoLocal(LocalDateTime t) {
    String base = t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
    int micros = t.getNano() / 1000;
    if (micros == 0) {
      return base;
    }
    String frac = String.format("%06d", micros).replaceAll("0+$", "");
    return base + "." + frac;
  }

  private static String offsetText(ZoneOffset o, boolean json) {
    int total = o.getTotalSeconds();
    String sign = total < 0 ? "-" : "+";
    int abs = Math.abs(total);
    String hh = String.format("%02d", abs / 3600);
    int mm = (abs % 3600) / 60;
    int ss = abs % 60;
    if (json || mm != 0 || ss != 0) {
      return sign + hh + ":" + String.format("%02d", mm) + (ss != 0 ? ":" + String.format("%02d", ss) : "");
    }
    return sign + hh;
  }

  /** A stored value in PostgreSQL's text output ({@code 2024-01-01 08:00:00+00}), for error details. */
  static String text(String stored) {
    if (stored.endsWith("infinity") || !stored.contains("T")) {
      return stored;
    }
    int plus = Math.max(stored.lastIndexOf('+'), stored.indexOf('-', 19) > 0 ? stored.lastIndexOf('-') : -1);
    if (plus > 10) {
      OffsetDateTime t = OffsetDateTime.parse(stored);
      return isoLocal(t.toLocalDateTime()).replace('T', ' ') + offsetText(t.getOffset(), false);
    }
    return stored.replace('T', ' ');
  }
}
