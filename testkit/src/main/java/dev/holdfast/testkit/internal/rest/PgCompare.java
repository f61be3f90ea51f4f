package dev.holdfast.testkit.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testkit.internal.JsonValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's comparison of two non-null values of one column type: numbers numerically (NaN above everything),
 * text by code point (the C collation), booleans false first, {@code timestamptz} by instant, {@code jsonb} by
 * jsonb's btree order (object > array > boolean > number > string > null; containers by size first), arrays
 * element by element. Untyped values compare as the in-memory engine always has ({@link JsonValues}). Stateless.
 */
public final class PgCompare {
  private PgCompare() {}

  /** Compares two non-null stored values of {@code type} (null for an untyped column). */
  public static int compare(PgType type, JsonNode a, JsonNode b) {
    if (type == null) {
      return JsonValues.compareForOrdering(a, b);
    }
    switch (type.kind) {
      case SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE:
        return compareNumbers(a, b);
      case BOOLEAN:
        return Boolean.compare(a.booleanValue(), b.booleanValue());
      case TIMESTAMPTZ:
        return compareInstants(a.textValue(), b.textValue());
      case JSONB:
        return compareJsonb(tree(a), tree(b));
      case ARRAY:
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          JsonNode x = a.get(i);
          JsonNode y = b.get(i);
          int cmp = x.isNull() || y.isNull() ? Boolean.compare(x.isNull(), y.isNull()) : compare(type.element, x, y);
          if (cmp != 0) {
            return cmp;
          }
        }
        return Integer.compare(a.size(), b.size());
      default:
        return compareText(a.asText(), b.asText());
    }
  }

  private static JsonNode tree(JsonNode v) {
    return v instanceof PgNodes.Jsonb j ? j.tree() : v instanceof PgNodes.JsonText t ? t.tree() : v;
  }

  static int compareText(String a, String b) {
    return JsonValues.compareCodePoints(a, b);
  }

  private static int compareInstants(String a, String b) {
    Instant x = PgTime.instant(a);
    Instant y = PgTime.instant(b);
    if (x == null || y == null) {
      int rx = x == null ? (a.startsWith("-") ? -1 : 1) : 0;
      int ry = y == null ? (b.startsWith("-") ? -1 : 1) : 0;
      return Integer.compare(rx, ry);
    }
    return x.compareTo(y);
  }

  private static int compareNumbers(JsonNode a, JsonNode b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != 0 || rb != 0) {
      return Integer.compare(ra, rb);
    }
    return a.decimalValue().compareTo(b.decimalValue());
  }

  /** -1 for -Infinity, 1 for Infinity, 2 for NaN, 0 for a finite number. */
  private static int rank(JsonNode n) {
    if (n.isTextual()) {
      return switch (n.textValue()) {
        case "NaN" -> 2;
        case "-Infinity" -> -1;
        default -> 1;
      };
    }
    if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? 2 : d > 0 ? 1 : -1;
    }
    return 0;
  }

  /** jsonb's btree ordering. */
  static int compareJsonb(JsonNode a, JsonNode b) {
    int ka = kind(a);
    int kb = kind(b);
    if (ka != kb) {
      return Integer.compare(ka, kb);
    }
    switch (ka) {
      case 5: {
        if (a.size() != b.size()) {
          return Integer.compare(a.size(), b.size());
        }
        List<Map.Entry<String, JsonNode>> x = entries(a);
        List<Map.Entry<String, JsonNode>> y = entries(b);
        for (int i = 0; i < x.size(); i++) {
          int cmp = PgJsonb.compareKeys(x.get(i).getKey(), y.get(i).getKey());
          if (cmp != 0) {
            return cmp;
          }
          cmp = compareJsonb(x.get(i).getValue(), y.get(i).getValue());
          if (cmp != 0) {
            return cmp;
          }
        }
        return 0;
      }
      case 4: {
        if (a.size() != b.size()) {
          return Integer.compare(a.size(), b.size());
        }
        for (int i = 0; i < a.size(); i++) {
          int cmp = compareJsonb(a.get(i), b.get(i));
          if (cmp != 0) {
            return cmp;
          }
        }
        return 0;
      }
      case 3:
        return Boolean.compare(a.booleanValue(), b.booleanValue());
      case 2:
        return new BigDecimal(a.asText()).compareTo(b.decimalValue());
      case 1:
        return compareText(a.textValue(), b.textValue());
      default:
        return 0;
    }
  }

  private static int kind(JsonNode n) {
    if (n.isObject()) {
      return 5;
    } else if (n.isArray()) {
      return 4;
    } else if (n.isBoolean()) {
      return 3;
    } else if (n.isNumber()) {
      return 2;
    } else if (n.isTextual()) {
      return 1;
    }
    return 0;
  }

  private static List<Map.Entry<String, JsonNode>> entries(JsonNode o) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    out.sort((p, q) -> PgJsonb.compareKeys(p.getKey(), q.getKey()));
    return out;
  }

  /** jsonb's {@code @>}: whether {@code container} contains {@code contained}. */
  public static boolean jsonbContains(JsonNode container, JsonNode contained) {
    JsonNode a = tree(container);
    JsonNode b = tree(contained);
    if (a.isObject() && b.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = b.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = a.get(e.getKey());
        if (v == null || !jsonbContains(v, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      for (JsonNode want : b) {
        boolean found = false;
        for (JsonNode have : a) {
          if (jsonbContains(have, want)) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && !b.isContainerNode()) {
      for (JsonNode have : a) {
        if (!have.isContainerNode() && compareJsonb(have, b) == 0) {
          return true;
        }
      }
      return false;
    }
    return kind(a) == kind(b) && !a.isContainerNode() && compareJsonb(a, b) == 0;
  }
}
