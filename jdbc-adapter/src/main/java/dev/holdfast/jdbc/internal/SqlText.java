package dev.holdfast.jdbc.internal;

import dev.holdfast.Filter;
import dev.holdfast.Identifier;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.spi.TableRef;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A SQL statement under construction: text with {@code ?} placeholders and the values bound to them, in order.
 * Identifiers are validated and double-quoted; values only ever become parameters. Internal; not thread-safe.
 */
public final class SqlText {
  private final StringBuilder sql = new StringBuilder(128);
  private final List<Param> params = new ArrayList<>();

  /**
   * A value bound to one placeholder, with the column it belongs to (for its type) or null, and how to bind it
   * (null: by {@link Values#bind}).
   */
  public record Param(Object value, String column, Binder binder) {}

  /** Binds one value to placeholder {@code index}. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps, int index, Object value) throws SQLException;
  }

  /** {@code "name"} after validation; identifiers never contain a double quote, so no escaping is needed. */
  public static String quote(String identifier) {
    return '"' + Identifier.require(identifier, "identifier") + '"';
  }

  /** {@code "schema"."table"}. */
  public static String table(TableRef ref) {
    return quote(ref.schema()) + "." + quote(ref.name());
  }

  /** The quoted column list of {@code ref}, or {@code *} when it names none. */
  public static String columns(TableRef ref) {
    if (ref.columns().isEmpty()) {
      return "*";
    }
    return String.join(", ", ref.columns().stream().map(SqlText::quote).toList());
  }

  /**
   * Appends {@code "column"} for a column that a {@link Filter} or {@link dev.holdfast.Order} holds: those check
   * their names when they are made, so it is not checked again on every statement.
   */
  private StringBuilder name(String validated) {
    return sql.append('"').append(validated).append('"');
  }

  public SqlText append(String text) {
    sql.append(text);
    return this;
  }

  /** Appends a placeholder bound to {@code value}, typed by {@code column} when given. */
  public SqlText param(Object value, String column) {
    return param(value, column, null);
  }

  /** Appends a placeholder bound to {@code value} by {@code binder}. */
  public SqlText param(Object value, String column, Binder binder) {
    sql.append('?');
    params.add(new Param(value, column, binder));
    return this;
  }

  /** Appends {@code WHERE filter} unless the filter matches every row. */
  public SqlText where(Filter filter) {
    if (!Query.isMatchAll(filter)) {
      sql.append(" WHERE ");
      filter(filter);
    }
    return this;
  }

  /** Appends {@code filter} as a boolean expression. */
  public SqlText filter(Filter filter) {
    if (filter instanceof Filter.Compare c) {
      name(c.column()).append(' ').append(operator(c.op())).append(' ');
      param(c.value(), c.column());
    } else if (filter instanceof Filter.In in) {
      if (in.values().isEmpty()) {
        sql.append("FALSE");
      } else {
        name(in.column()).append(" IN (");
        for (int i = 0; i < in.values().size(); i++) {
          sql.append(i == 0 ? "" : ", ");
          param(in.values().get(i), in.column());
        }
        sql.append(')');
      }
    } else if (filter instanceof Filter.IsNull n) {
      name(n.column()).append(n.isNull() ? " IS NULL" : " IS NOT NULL");
    } else if (filter instanceof Filter.Like like) {
      // Cast to text so LIKE also works on uuid, enum and varchar columns; the pattern is a parameter.
      name(like.column()).append("::text ").append(like.caseInsensitive() ? "ILIKE " : "LIKE ");
      param(like.pattern(), null);
    } else if (filter instanceof Filter.And and) {
      junction(and.filters(), " AND ", "TRUE");
    } else if (filter instanceof Filter.Or or) {
      junction(or.filters(), " OR ", "FALSE");
    } else if (filter instanceof Filter.Not not) {
      sql.append("NOT (");
      filter(not.filter());
      sql.append(')');
    }
    return this;
  }

  private void junction(List<Filter> filters, String operator, String empty) {
    if (filters.isEmpty()) {
      sql.append(empty);
      return;
    }
    sql.append('(');
    for (int i = 0; i < filters.size(); i++) {
      sql.append(i == 0 ? "" : operator);
      filter(filters.get(i));
    }
    sql.append(')');
  }

  private static String operator(Filter.Op op) {
    return switch (op) {
      case EQ -> "=";
      case NEQ -> "<>";
      case GT -> ">";
      case GTE -> ">=";
      case LT -> "<";
      case LTE -> "<=";
    };
  }

  /** Appends {@code ORDER BY ...} when there are sort keys. */
  public SqlText orderBy(List<Order> keys) {
    for (int i = 0; i < keys.size(); i++) {
      Order o = keys.get(i);
      sql.append(i == 0 ? " ORDER BY " : ", ").append(quote(o.column())).append(o.descending() ? " DESC" : " ASC");
      if (o.nulls() == Order.Nulls.FIRST) {
        sql.append(" NULLS FIRST");
      } else if (o.nulls() == Order.Nulls.LAST) {
        sql.append(" NULLS LAST");
      }
    }
    return this;
  }

  /** Appends LIMIT and OFFSET, as bound parameters, when the query has them. */
  public SqlText limitOffset(Query query) {
    if (query.limit().isPresent()) {
      sql.append(" LIMIT ");
      param((long) query.limit().getAsInt(), null);
    }
    if (query.offset() > 0) {
      sql.append(" OFFSET ");
      param(query.offset(), null);
    }
    return this;
  }

  /** The statement text. */
  public String sql() {
    return sql.toString();
  }

  /** The bound values, in placeholder order. */
  public List<Param> params() {
    return Collections.unmodifiableList(params);
  }

  @Override
  public String toString() {
    return sql + " (" + params.size() + " parameters)";
  }
}
