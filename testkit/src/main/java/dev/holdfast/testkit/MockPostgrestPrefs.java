package dev.holdfast.testkit;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Prefer} header as PostgREST 13's {@code Preferences.fromHeaders} reads it: every {@code Prefer}
 * header split on commas, the first value of each preference wins, {@code tx=} only when the server allows the
 * override, {@code timezone=} only for a known zone, anything else is an invalid preference (an error only with
 * {@code handling=strict}); and {@code Preference-Applied} as {@code prefAppliedHeader} writes it. Immutable.
 */
final class MockPostgrestPrefs {
  private static final List<String> ACCEPTED = List.of("resolution=merge-duplicates", "resolution=ignore-duplicates",
      "return=representation", "return=minimal", "return=headers-only", "count=exact", "count=planned",
      "count=estimated", "tx=commit", "tx=rollback", "missing=default", "missing=null", "handling=strict",
      "handling=lenient");

  final String resolution;
  final String representation;
  final String count;
  final String transaction;
  final String missing;
  final String handling;
  final String timezone;
  final Long maxAffected;
  final List<String> invalid;

  MockPostgrestPrefs(List<String> headers, boolean allowTxOverride) {
    List<String> prefs = new ArrayList<>();
    for (String h : headers) {
      for (String p : h.split(",", -1)) {
        prefs.add(p.strip());
      }
    }
    resolution = first(prefs, "resolution=merge-duplicates", "resolution=ignore-duplicates");
    representation = first(prefs, "return=representation", "return=minimal", "return=headers-only");
    count = first(prefs, "count=exact", "count=planned", "count=estimated");
    transaction = allowTxOverride ? first(prefs, "tx=commit", "tx=rollback") : null;
    missing = first(prefs, "missing=default", "missing=null");
    handling = first(prefs, "handling=strict", "handling=lenient");
    String tz = null;
    Long max = null;
    for (String p : prefs) {
      if (tz == null && p.startsWith("timezone=")) {
        tz = p;
      }
      if (max == null && p.startsWith("max-affected=")) {
        max = -1L;
        try {
          max = Long.parseLong(p.substring("max-affected=".length()));
        } catch (NumberFormatException e) {
          max = null;
        }
        if (max == null) {
          break;
        }
      }
    }
    boolean tzAccepted = tz != null && knownZone(tz.substring("timezone=".length()));
    timezone = tzAccepted ? tz : null;
    maxAffected = max;
    invalid = new ArrayList<>();
    for (String p : prefs) {
      boolean unacceptable = !ACCEPTED.contains(p) && (!p.startsWith("timezone=") || !tzAccepted)
          && !p.startsWith("max-affected=");
      if (unacceptable) {
        invalid.add(p);
      }
    }
  }

  private static boolean knownZone(String name) {
    try {
      ZoneId.of(name);
      return !name.isEmpty() && Character.isLetter(name.charAt(0));
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static String first(List<String> prefs, String... values) {
    for (String p : prefs) {
      for (String v : values) {
        if (p.equals(v)) {
          return v;
        }
      }
    }
    return null;
  }

  boolean strict() {
    return "handling=strict".equals(handling);
  }

  /** Whether {@code count=exact} or {@code count=estimated} (MockPostgrest's estimate is exact) was asked for. */
  boolean counts() {
    return count != null;
  }

  ZoneId zone() {
    return timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone.substring("timezone=".length()));
  }

  /**
   * {@code Preference-Applied} for the preferences an action applies, in PostgREST's order: resolution,
   * missing, return, count, tx, handling, timezone, and max-affected when handling is strict. Null when empty.
   */
  String applied(boolean withResolution, boolean withMissing, boolean withReturn, boolean withMaxAffected) {
    List<String> out = new ArrayList<>();
    add(out, withResolution ? resolution : null);
    add(out, withMissing ? missing : null);
    add(out, withReturn ? representation : null);
    add(out, count);
    add(out, transaction);
    add(out, handling);
    add(out, timezone);
    if (withMaxAffected && strict() && maxAffected != null) {
      out.add("max-affected=" + maxAffected);
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  private static void add(List<String> out, String v) {
    if (v != null) {
      out.add(v);
    }
  }
}
