package dev.holdfast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Whether a value read back is the value that was written, as far as a database keeps it: numbers by value
 * ({@code 12.5} is {@code 12.50}), times to the microsecond PostgreSQL stores, fixed-width text without its
 * padding, bytes by content, JSON by structure. Used to tell "my write is stored" from "another write is stored"
 * after an ambiguous failure. Internal; stateless.
 */
final class SameValues {
  private static final Comparator<JsonNode> JSON_NUMBERS = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private SameValues() {}

  static boolean same(Object written, Object stored) {
    if (written == null || stored == null) {
      return written == stored;
    }
    if (written instanceof Number w && stored instanceof Number s) {
      if (w instanceof Double || w instanceof Float || s instanceof Double || s instanceof Float) {
        double a = w.doubleValue();
        double b = s.doubleValue();
        // A float4 column keeps about seven digits of a double.
        return a == b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
      }
      return new BigDecimal(w.toString()).compareTo(new BigDecimal(s.toString())) == 0;
    }
    Instant wi = instant(written);
    Instant si = instant(stored);
    if (wi != null && si != null) {
      return wi.truncatedTo(ChronoUnit.MICROS).equals(si.truncatedTo(ChronoUnit.MICROS));
    }
    if (written instanceof LocalDateTime w && stored instanceof LocalDateTime s) {
      return w.truncatedTo(ChronoUnit.MICROS).equals(s.truncatedTo(ChronoUnit.MICROS));
    }
    if (written instanceof LocalTime w && stored instanceof LocalTime s) {
      return w.truncatedTo(ChronoUnit.MICROS).equals(s.truncatedTo(ChronoUnit.MICROS));
    }
    if (written instanceof byte[] w && stored instanceof byte[] s) {
      return Arrays.equals(w, s);
    }
    if (written instanceof String w && stored instanceof String s) {
      return w.equals(s) || w.stripTrailing().equals(s.stripTrailing());
    }
    if (written instanceof JsonNode w && stored instanceof JsonNode s) {
      return w.equals(JSON_NUMBERS, s);
    }
    return Objects.equals(written, stored);
  }

  private static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    } else if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    } else if (v instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    return null;
  }
}
