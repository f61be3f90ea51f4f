package dev.holdfast.postgrest.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.Identifier;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names PostgREST gives meaning to in a query string, and the checks that keep a column from being read as
 * one of them. PostgREST's query-string parser ({@code PostgREST.ApiRequest.QueryParams}) takes {@code select},
 * {@code columns} and {@code on_conflict} as its own, and any parameter whose last dot-separated word is
 * {@code order}, {@code limit}, {@code offset}, {@code and} or {@code or}; everything else is a filter. So a
 * filter on a column with one of these names cannot be a parameter of its own: inside a logic tree
 * ({@code and=(select.eq.1)}) the same grammar reads it as a column, and that is how it is sent. Thread-safe.
 */
public final class QueryNames {
  /** Parameter names PostgREST reserves. */
  public static final Set<String> RESERVED = Set.of("select", "columns", "on_conflict", "order", "limit",
      "offset", "and", "or");

  // A column, then one or more JSON steps: ->key or ->>key (letters, digits, underscores) or ->index.
  private static final Pattern JSON_PATH = Pattern.compile(
      "[A-Za-z_][A-Za-z0-9_]{0,62}(?:->>?(?:-?[0-9]{1,9}|[A-Za-z_][A-Za-z0-9_]{0,62}))+");

  // A filter parameter's name: a column, or a dot-separated embedded path ending in one, then optional JSON steps.
  private static final Pattern FILTER_COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}"
      + "(?:\\.[A-Za-z_][A-Za-z0-9_]{0,62})*(?:->>?(?:-?[0-9]{1,9}|[A-Za-z_][A-Za-z0-9_]{0,62}))*");
  // not.op, op, op(quantifier or language): eq(any), fts(english).
  private static final Pattern OPERATOR = Pattern.compile("(?:not\\.)?[a-z]{2,10}(?:\\([A-Za-z0-9_]{1,63}\\))?");

  private QueryNames() {}

  /**
   * {@code name} if it is a valid identifier, by the rule of {@link Identifier}: checked by a loop first, because
   * the regular expression costs more than the rest of building a request's URL; only a name that fails goes to
   * {@link Identifier#require}, for its exception.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws InvalidRequestException if it is not a valid identifier
   */
  public static String requireIdentifier(String name, String what) {
    if (name != null && isIdentifier(name)) {
      return name;
    }
    return Identifier.require(name, what);
  }

  private static boolean isIdentifier(String name) {
    int n = name.length();
    if (n == 0 || n > 63) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** Whether a parameter named {@code column} would not reach PostgREST as a filter on that column. */
  public static boolean isReserved(String column) {
    return RESERVED.contains(column);
  }

  /**
   * {@code path} if it is a dot-separated path of valid identifiers naming an embedded resource, such as
   * {@code clients} or {@code clients.projects}.
   *
   * @throws InvalidRequestException if it is not
   */
  public static String requireEmbedPath(String path) {
    for (String segment : path.split("\\.", -1)) {
      Identifier.require(segment, "referenced table");
    }
    return path;
  }

  /**
   * {@code path} if it is a column followed by JSON steps, such as {@code data->>created} or
   * {@code data->items->0->>name}, each key made of letters, digits and underscores.
   *
   * @throws InvalidRequestException if it is not
   */
  public static String requireJsonPath(String path) {
    if (path.length() > 512 || !JSON_PATH.matcher(path).matches()) {
      String shown = path.length() > 80 ? path.substring(0, 80) + "..." : path;
      throw new InvalidRequestException("Invalid JSON path '" + shown.replace("\n", "\\n") + "'",
          ErrorDetails.of(ErrorMapper.BACKEND).withHint("Write column->key or column->>key (->> for text), keys "
              + "of letters, digits and underscores or array indexes, such as data->>created."), null);
    }
    return path;
  }

  /**
   * {@code column} if it can name a raw filter's column: an identifier, optionally after a dot-separated path of
   * embedded resources and followed by JSON steps ({@code clients.name}, {@code data->>kind}), and not named
   * like a reserved parameter, which as a parameter of its own PostgREST would not read as a filter.
   *
   * @throws InvalidRequestException if it cannot
   */
  public static String requireFilterColumn(String column) {
    if (column.length() > 512 || !FILTER_COLUMN.matcher(column).matches()) {
      String shown = column.length() > 80 ? column.substring(0, 80) + "..." : column;
      throw new InvalidRequestException("Invalid filter column '" + shown.replace("\n", "\\n") + "'",
          ErrorDetails.of(ErrorMapper.BACKEND).withHint("Name a column (letters, digits, underscores), optionally "
              + "as embedded.column or with JSON steps such as data->>kind."), null);
    }
    int arrow = column.indexOf("->");
    String path = arrow < 0 ? column : column.substring(0, arrow);
    if (arrow < 0 && isReserved(path.substring(path.lastIndexOf('.') + 1))) {
      throw new InvalidRequestException("A raw filter on the column '" + column + "' would reach PostgREST as its "
          + "own '" + path.substring(path.lastIndexOf('.') + 1) + "' parameter", ErrorDetails.of(ErrorMapper.BACKEND)
          .withHint("Use filter(Filter.eq(...)) and the other typed filters, which send such columns inside "
              + "and=(...)."), null);
    }
    return column;
  }

  /**
   * {@code operator} if it is a PostgREST operator word, optionally negated ({@code not.fts}) or with a
   * quantifier or language ({@code eq(any)}, {@code fts(english)}).
   *
   * @throws InvalidRequestException if it is not
   */
  public static String requireOperator(String operator) {
    if (!OPERATOR.matcher(operator).matches()) {
      String shown = operator.length() > 40 ? operator.substring(0, 40) + "..." : operator;
      throw new InvalidRequestException("Invalid filter operator '" + shown.replace("\n", "\\n") + "'",
          ErrorDetails.of(ErrorMapper.BACKEND).withHint("Use a PostgREST operator such as eq, cs, fts or "
              + "not.fts; the value goes in its own argument."), null);
    }
    return operator;
  }

  /** One term of an {@code order} parameter: {@code column.desc.nullslast}. */
  public static String orderTerm(String column, boolean descending, Order.Nulls nulls) {
    String tail = switch (nulls) {
      case FIRST -> ".nullsfirst";
      case LAST -> ".nullslast";
      case DEFAULT -> "";
    };
    return column + (descending ? ".desc" : ".asc") + tail;
  }
}
