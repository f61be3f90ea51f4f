package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.holdfast.HoldfastException;
import dev.holdfast.testkit.MockPostgrestEval.Accessor;
import dev.holdfast.testkit.MockPostgrestEval.Pred;
import dev.holdfast.testkit.MockPostgrestEval.Typed;
import dev.holdfast.testkit.internal.JsonValues;
import dev.holdfast.testkit.internal.LikePattern;
import dev.holdfast.testkit.internal.RowMatcher.Truth;
import dev.holdfast.testkit.internal.rest.PgCompare;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgType;
import dev.holdfast.testkit.internal.rest.Url;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PostgREST's filter operators as PostgreSQL runs them on a typed value ({@code SqlFragment.pgFmtFilter}):
 * {@code eq}...{@code lte} and their {@code (any)}/{@code (all)} forms, {@code like}/{@code ilike} with {@code *},
 * {@code match}/{@code imatch}, {@code in} ({@code [""]} is {@code = ANY('{}')}), {@code is}, {@code isdistinct},
 * {@code cs}/{@code cd}/{@code ov} on arrays and jsonb; an operator the type lacks is {@code 42883} with
 * PostgreSQL's hint. Stateless.
 */
final class MockPostgrestOperators {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private MockPostgrestOperators() {}

  static final String NO_OPERATOR_HINT =
      "No operator matches the given name and argument types. You might need to add explicit type casts.";

  /** A literal read as {@code type} (a PostgreSQL unknown literal cast); untyped stays text. */
  static JsonNode literal(PgType type, String text, ZoneId zone) {
    return type == null ? NODES.textNode(text) : type.fromText(text.replace("\u0000", ""), zone);
  }

  static Pred operation(Accessor a, Url.Operation op, ZoneId zone) {
    PgType type = a.type();
    if (op instanceof Url.IsOp is) {
      return isOp(a, is.value());
    }
    if (op instanceof Url.InOp in) {
      if (in.values().size() == 1 && in.values().get(0).isEmpty()) {
        return row -> Truth.FALSE;
      }
      requireEquality(type, "=");
      List<JsonNode> values = new ArrayList<>();
      in.values().forEach(v -> values.add(literal(type, v, zone)));
      return row -> {
        Typed v = a.get(row);
        if (v.isNull()) {
          return Truth.UNKNOWN;
        }
        for (JsonNode candidate : values) {
          if (compare(v, candidate) == 0) {
            return Truth.TRUE;
          }
        }
        return Truth.FALSE;
      };
    }
    if (op instanceof Url.IsDistinct d) {
      requireEquality(type, "IS DISTINCT FROM");
      JsonNode lit = literal(type, d.value(), zone);
      return row -> {
        Typed v = a.get(row);
        return Truth.of(v.isNull() || compare(v, lit) != 0);
      };
    }
    if (op instanceof Url.FtsOp) {
      throw MockPostgrestError.unsupported("full-text search (fts, plfts, phfts, wfts)");
    }
    if (op instanceof Url.SimpleOp s) {
      return simple(a, s, zone);
    }
    Url.QuantOp q = (Url.QuantOp) op;
    return quant(a, q, zone);
  }

  private static Pred isOp(Accessor a, String value) {
    PgType type = a.type();
    switch (value) {
      case "null":
        return row -> Truth.of(a.get(row).isNull());
      case "not_null":
        return row -> Truth.of(!a.get(row).isNull());
      default: {
        String which = value.equals("unknown") ? "UNKNOWN" : value.toUpperCase(java.util.Locale.ROOT);
        if (type != null && type.kind != PgType.Kind.BOOLEAN) {
          throw new PgError("42804", "argument of IS " + which + " must be type boolean, not type " + type.name(),
              null, null);
        }
        return row -> {
          Typed v = a.get(row);
          if (!v.isNull() && !v.value().isBoolean()) {
            throw new PgError("42804", "argument of IS " + which + " must be type boolean, not type text", null,
                null);
          }
          return Truth.of(switch (value) {
            case "true" -> !v.isNull() && v.value().booleanValue();
            case "false" -> !v.isNull() && !v.value().booleanValue();
            default -> v.isNull();
          });
        };
      }
    }
  }

  private static Pred simple(Accessor a, Url.SimpleOp s, ZoneId zone) {
    PgType type = a.type();
    switch (s.op()) {
      case "neq":
        requireEquality(type, "<>");
        return compareWith(a, literal(type, s.value(), zone), c -> c != 0);
      case "cs", "cd", "ov": {
        String sql = s.op().equals("cs") ? "@>" : s.op().equals("cd") ? "<@" : "&&";
        boolean array = type != null && type.kind == PgType.Kind.ARRAY;
        boolean jsonb = type == null || type.kind == PgType.Kind.JSONB;
        if (!array && !(jsonb && !s.op().equals("ov"))) {
          throw new PgError("42883", "operator does not exist: " + typeName(type) + " " + sql + " unknown", null,
              NO_OPERATOR_HINT);
        }
        JsonNode lit = array ? literal(type, s.value(), zone) : PgJsonb.parse(s.value());
        return row -> {
          Typed v = a.get(row);
          if (v.isNull()) {
            return Truth.UNKNOWN;
          }
          JsonNode have = MockPostgrestEval.toJson(type, v.value());
          if (array) {
            return Truth.of(arrayOp(type, s.op(), have, lit));
          }
          return Truth.of(s.op().equals("cs") ? PgCompare.jsonbContains(have, lit)
              : PgCompare.jsonbContains(lit, have));
        };
      }
      default:
        String sql = switch (s.op()) {
          case "sl" -> "<<";
          case "sr" -> ">>";
          case "nxr" -> "&<";
          case "nxl" -> "&>";
          default -> "-|-";
        };
        throw new PgError("42883", "operator does not exist: " + typeName(type) + " " + sql + " unknown", null,
            NO_OPERATOR_HINT);
    }
  }

  private static boolean arrayOp(PgType type, String op, JsonNode have, JsonNode want) {
    switch (op) {
      case "cs":
        return containsAll(type, have, want);
      case "cd":
        return containsAll(type, want, have);
      default:
        for (JsonNode x : have) {
          for (JsonNode y : want) {
            if (!x.isNull() && !y.isNull() && PgCompare.compare(type.element, x, y) == 0) {
              return true;
            }
          }
        }
        return false;
    }
  }

  private static boolean containsAll(PgType type, JsonNode container, JsonNode items) {
    for (JsonNode y : items) {
      boolean found = false;
      for (JsonNode x : container) {
        if (!x.isNull() && !y.isNull() && PgCompare.compare(type.element, x, y) == 0) {
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

  private static Pred quant(Accessor a, Url.QuantOp q, ZoneId zone) {
    PgType type = a.type();
    String op = q.op();
    if (op.equals("like") || op.equals("ilike") || op.equals("match") || op.equals("imatch")) {
      if (type != null && type.kind != PgType.Kind.TEXT) {
        String sql = switch (op) {
          case "like" -> "~~";
          case "ilike" -> "~~*";
          case "match" -> "~";
          default -> "~*";
        };
        throw new PgError("42883", "operator does not exist: " + type.name() + " " + sql + " unknown", null,
            NO_OPERATOR_HINT);
      }
      List<String> patterns = q.quantifier() == null ? List.of(q.value()) : arrayItems(q.value());
      List<java.util.function.Predicate<String>> tests = new ArrayList<>();
      for (String p : patterns) {
        tests.add(textTest(op, op.startsWith("like") || op.startsWith("ilike") ? p.replace('*', '%') : p));
      }
      return row -> {
        Typed v = a.get(row);
        if (v.isNull()) {
          return Truth.UNKNOWN;
        }
        if (!v.value().isTextual()) {
          throw new PgError("42883", "operator does not exist: " + typeName(null) + " ~~ unknown", null,
              NO_OPERATOR_HINT);
        }
        return quantified(q.quantifier(), tests, t -> t.test(v.value().textValue()));
      };
    }
    requireEquality(type, op.equals("eq") ? "=" : op);
    List<JsonNode> literals = new ArrayList<>();
    if (q.quantifier() == null) {
      literals.add(literal(type, q.value(), zone));
    } else {
      arrayItems(q.value()).forEach(v -> literals.add(literal(type, v, zone)));
    }
    java.util.function.IntPredicate test = switch (op) {
      case "eq" -> c -> c == 0;
      case "gt" -> c -> c > 0;
      case "gte" -> c -> c >= 0;
      case "lt" -> c -> c < 0;
      default -> c -> c <= 0;
    };
    return row -> {
      Typed v = a.get(row);
      if (v.isNull()) {
        return Truth.UNKNOWN;
      }
      return quantified(q.quantifier(), literals, lit -> test.test(compare(v, lit)));
    };
  }

  private static <T> Truth quantified(String quantifier, List<T> items, java.util.function.Predicate<T> test) {
    if (quantifier == null) {
      return Truth.of(test.test(items.get(0)));
    }
    boolean any = quantifier.equals("any");
    for (T item : items) {
      boolean r = test.test(item);
      if (any && r) {
        return Truth.TRUE;
      }
      if (!any && !r) {
        return Truth.FALSE;
      }
    }
    return Truth.of(!any);
  }

  private static List<String> arrayItems(String text) {
    List<String> out = new ArrayList<>();
    JsonNode arr = PgType.cached("text[]").fromText(text, null);
    arr.forEach(e -> out.add(e.isNull() ? null : e.textValue()));
    return out;
  }

  private static java.util.function.Predicate<String> textTest(String op, String pattern) {
    if (op.equals("like") || op.equals("ilike")) {
      LikePattern like = LikePattern.compile(pattern, op.equals("ilike"));
      return like::matches;
    }
    Pattern regex = regex(pattern, op.equals("imatch"));
    return s -> regex.matcher(s).find();
  }

  /** A POSIX regex as {@code java.util.regex}; constructs whose meaning differs are not emulated. */
  private static Pattern regex(String pattern, boolean caseInsensitive) {
    if (pattern.matches(".*(\\\\[mMyYAZ]|\\[\\[:[<>]:]]|\\*\\*\\*[:=]|\\(\\?[bceimnpqstwx]*\\)).*")) {
      throw MockPostgrestError.unsupported("this PostgreSQL regular expression syntax (" + pattern + ")");
    }
    String java = pattern.replace("[[:alpha:]]", "\\p{Alpha}").replace("[[:digit:]]", "\\d")
        .replace("[[:alnum:]]", "\\p{Alnum}").replace("[[:space:]]", "\\s").replace("[[:upper:]]", "\\p{Upper}")
        .replace("[[:lower:]]", "\\p{Lower}").replace("[[:punct:]]", "\\p{Punct}");
    try {
      return Pattern.compile(java, caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      throw new PgError("2201B", "invalid regular expression: " + e.getDescription(), null, null);
    }
  }

  private static Pred compareWith(Accessor a, JsonNode lit, java.util.function.IntPredicate test) {
    return row -> {
      Typed v = a.get(row);
      return v.isNull() ? Truth.UNKNOWN : Truth.of(test.test(compare(v, lit)));
    };
  }

  /** json has no equality or ordering operators in PostgreSQL. */
  private static void requireEquality(PgType type, String op) {
    if (type != null && type.kind == PgType.Kind.JSON) {
      throw new PgError("42883", "operator does not exist: json " + (op.equals("gte") ? ">=" : op.equals("lte")
          ? "<=" : op.equals("gt") ? ">" : op.equals("lt") ? "<" : op) + " unknown", null, NO_OPERATOR_HINT);
    }
  }

  private static String typeName(PgType type) {
    return type == null ? "text" : type.name();
  }

  static int compare(Typed v, JsonNode literal) {
    if (v.type() == null) {
      try {
        return JsonValues.compareWithLiteral(v.value(), literal);
      } catch (HoldfastException e) {
        throw new PgError(e.code().orElse("22P02"), e.reason(), null, null);
      }
    }
    return PgCompare.compare(v.type(), v.value(), literal);
  }
}
