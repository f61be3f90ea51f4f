package dev.holdfast.testkit;

import dev.holdfast.Filter;
import dev.holdfast.Identifier;
import dev.holdfast.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PostgREST's query syntax into core {@link Filter}s, {@link Order}s and select lists: column filters
 * ({@code done=not.eq.true}), {@code in} lists with double-quoted members, logic trees ({@code or=(a.eq.1,
 * and(b.gt.2,c.is.null))}, {@code not.and=(...)}), {@code order=a.desc.nullslast} and {@code select=id,t:title}.
 * LIKE patterns use {@code *} for {@code %} as PostgREST does; {@code match}/{@code imatch} accept the anchored
 * regexes that are equivalent to a LIKE pattern. Unsupported syntax fails with PostgREST's {@code PGRST100}.
 */
final class MockPostgrestSyntax {
  private MockPostgrestSyntax() {}

  /** One selected column: its name in the answer and in the table. */
  record Selected(String alias, String column) {}

  /** The filter of a top-level column parameter such as {@code id=not.in.(1,2)}. */
  static Filter columnFilter(String column, String expression) {
    requireColumn(column, expression);
    boolean negated = expression.startsWith("not.");
    String rest = negated ? expression.substring(4) : expression;
    int dot = rest.indexOf('.');
    if (dot < 0) {
      throw MockPostgrestError.parse("filter (" + expression + ")", "expecting an operator and a value");
    }
    String op = rest.substring(0, dot);
    String value = rest.substring(dot + 1);
    Filter leaf = op.equals("in") ? new Filter.In(column, new Cursor(value).list()) : leaf(column, op, value);
    return negated ? leaf.negate() : leaf;
  }

  /** The filter of a logic-tree parameter: {@code name} is or, and, not.or or not.and; {@code value} is (...). */
  static Filter tree(String name, String value) {
    Cursor c = new Cursor(name + value);
    Filter f = c.item();
    c.end();
    return f;
  }

  /** Whether {@code name} is a logic-tree parameter. */
  static boolean isTree(String name) {
    return name.equals("or") || name.equals("and") || name.equals("not.or") || name.equals("not.and");
  }

  /** The sort keys of an {@code order} parameter. */
  static List<Order> order(String value) {
    List<Order> keys = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String[] bits = part.split("\\.", -1);
      requireColumn(bits[0], value);
      Order key = Order.asc(bits[0]);
      for (int i = 1; i < bits.length; i++) {
        switch (bits[i]) {
          case "asc" -> key = new Order(key.column(), false, key.nulls());
          case "desc" -> key = new Order(key.column(), true, key.nulls());
          case "nullsfirst" -> key = key.nullsFirst();
          case "nullslast" -> key = key.nullsLast();
          default -> throw MockPostgrestError.parse("order (" + value + ")", "unexpected \"" + bits[i] + "\"");
        }
      }
      keys.add(key);
    }
    return keys;
  }

  /** The columns of a {@code select} parameter; empty for {@code *}. */
  static List<Selected> select(String value) {
    List<Selected> out = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (item.equals("*")) {
        return List.of();
      }
      if (item.contains("(") || item.contains("->") || item.contains("::")) {
        throw MockPostgrestError.parse("select (" + value + ")",
            "MockPostgrest supports columns and renames, not embedding, JSON paths or casts");
      }
      int colon = item.indexOf(':');
      String alias = colon < 0 ? item : item.substring(0, colon);
      String column = colon < 0 ? item : item.substring(colon + 1);
      requireColumn(column, value);
      requireColumn(alias, value);
      out.add(new Selected(alias, column));
    }
    return out;
  }

  private static Filter leaf(String column, String op, String value) {
    return switch (op) {
      case "eq" -> Filter.eq(column, value);
      case "neq" -> Filter.neq(column, value);
      case "gt" -> Filter.gt(column, value);
      case "gte" -> Filter.gte(column, value);
      case "lt" -> Filter.lt(column, value);
      case "lte" -> Filter.lte(column, value);
      case "like" -> Filter.like(column, value.replace('*', '%'));
      case "ilike" -> Filter.ilike(column, value.replace('*', '%'));
      case "match", "imatch" -> new Filter.Like(column, regexToLike(value), op.equals("imatch"));
      case "is" -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "null", "unknown" -> Filter.isNull(column);
        case "true" -> Filter.eq(column, true);
        case "false" -> Filter.eq(column, false);
        default -> throw MockPostgrestError.parse("filter (is." + value + ")", "expecting null, true or false");
      };
      default -> throw MockPostgrestError.parse("filter (" + op + "." + value + ")",
          "MockPostgrest supports eq, neq, gt, gte, lt, lte, like, ilike, match, imatch, in, is");
    };
  }

  /** The LIKE pattern equivalent to an anchored regex built from literals, {@code .} and {@code .*}. */
  static String regexToLike(String regex) {
    if (!regex.startsWith("^") || !regex.endsWith("$") || regex.endsWith("\\$")) {
      throw unsupportedRegex(regex);
    }
    StringBuilder out = new StringBuilder();
    String body = regex.substring(1, regex.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char lit = body.charAt(++i);
        out.append(lit == '%' || lit == '_' || lit == '\\' ? "\\" + lit : String.valueOf(lit));
      } else if (c == '.' && i + 1 < body.length() && body.charAt(i + 1) == '*') {
        out.append('%');
        i++;
      } else if (c == '.') {
        out.append('_');
      } else if ("*+?()[]{}|^$\\".indexOf(c) >= 0) {
        throw unsupportedRegex(regex);
      } else {
        out.append(c == '%' || c == '_' ? "\\" + c : String.valueOf(c));
      }
    }
    return out.toString();
  }

  private static MockPostgrestError unsupportedRegex(String regex) {
    return MockPostgrestError.parse("filter (match." + regex + ")",
        "MockPostgrest evaluates only anchored regexes equivalent to a LIKE pattern");
  }

  private static void requireColumn(String column, String context) {
    if (!Identifier.isValid(column)) {
      throw MockPostgrestError.parse("filter (" + column + "=" + context + ")",
          "MockPostgrest supports plain column names only");
    }
  }

  /** A reader over logic-tree and list syntax. */
  private static final class Cursor {
    private final String text;
    private int at;

    Cursor(String text) {
      this.text = text;
    }

    Filter item() {
      for (String group : new String[] {"not.and(", "not.or(", "and(", "or("}) {
        if (text.startsWith(group, at)) {
          at += group.length() - 1;
          List<Filter> members = members();
          Filter f = group.contains("and") ? new Filter.And(members) : new Filter.Or(members);
          return group.startsWith("not.") ? f.negate() : f;
        }
      }
      String column = until('.');
      requireColumn(column, text);
      expect('.');
      boolean negated = text.startsWith("not.", at);
      if (negated) {
        at += 4;
      }
      String op = until('.');
      expect('.');
      Filter leaf = op.equals("in") ? new Filter.In(column, list()) : leaf(column, op, value());
      return negated ? leaf.negate() : leaf;
    }

    private List<Filter> members() {
      expect('(');
      List<Filter> members = new ArrayList<>();
      do {
        members.add(item());
      } while (tryConsume(','));
      expect(')');
      return members;
    }

    List<Object> list() {
      expect('(');
      List<Object> values = new ArrayList<>();
      if (tryConsume(')')) {
        return values;
      }
      do {
        values.add(value());
      } while (tryConsume(','));
      expect(')');
      return values;
    }

    /** A double-quoted value with {@code \} escapes, or an unquoted one up to {@code ,} or {@code )}. */
    private String value() {
      if (!tryConsume('"')) {
        int start = at;
        while (at < text.length() && text.charAt(at) != ',' && text.charAt(at) != ')') {
          at++;
        }
        return text.substring(start, at);
      }
      StringBuilder out = new StringBuilder();
      while (at < text.length() && text.charAt(at) != '"') {
        char c = text.charAt(at++);
        if (c == '\\' && at < text.length()) {
          c = text.charAt(at++);
        }
        out.append(c);
      }
      expect('"');
      return out.toString();
    }

    private String until(char stop) {
      int start = at;
      while (at < text.length() && text.charAt(at) != stop) {
        at++;
      }
      return text.substring(start, at);
    }

    private boolean tryConsume(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!tryConsume(c)) {
        throw MockPostgrestError.parse("logic tree (" + text + ")", "expected \"" + c + "\" at " + at);
      }
    }

    void end() {
      if (at != text.length()) {
        throw MockPostgrestError.parse("logic tree (" + text + ")", "unexpected text at " + at);
      }
    }
  }
}
