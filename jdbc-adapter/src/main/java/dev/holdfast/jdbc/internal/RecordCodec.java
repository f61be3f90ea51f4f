package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import dev.holdfast.spi.TableMapping;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Rows straight to records and records straight to parameters, compiled once per table: for each component a
 * reader and a binder chosen from the column's PostgreSQL type and the component's Java type, so that a select
 * by id reads an {@code int8} with {@code getLong} into the record's canonical constructor, with no JSON tree in
 * between. Pairs holdfast does not convert itself (arrays, custom types, components with Jackson annotations,
 * {@code infinity} timestamps) take the reference route of {@link TableMapping}: the column read as JSON
 * ({@link RowReader}) and converted by Jackson, or the value written as JSON ({@link Values}) — so every backend
 * still makes the same record of the same row. Internal; immutable and thread-safe.
 */
final class RecordCodec<T> {
  /** Reads column {@code index} of the current row into a component's value. */
  @FunctionalInterface
  interface Reader {
    Object read(ResultSet rs, int index) throws SQLException;
  }

  private final TableMapping<T> mapping;
  private final Reader[] readers;
  private final SqlText.Binder[] binders;
  private final String[] columns;
  private final String[] types;
  private final boolean[] jsonRoute;

  private RecordCodec(TableMapping<T> mapping, Map<String, String> types) {
    this.mapping = mapping;
    this.readers = new Reader[mapping.size()];
    this.binders = new SqlText.Binder[mapping.size()];
    this.columns = new String[mapping.size()];
    this.types = new String[mapping.size()];
    this.jsonRoute = new boolean[mapping.size()];
    for (int i = 0; i < mapping.size(); i++) {
      String column = mapping.column(i);
      String type = types.get(column);
      columns[i] = column;
      this.types[i] = type;
      jsonRoute[i] = jsonRoute(mapping, i, type);
      readers[i] = reader(mapping, i, type);
      binders[i] = binder(mapping, i, column, type, jsonRoute[i]);
    }
  }

  /** The codec of {@code mapping}'s records for columns of {@code types} (column to PostgreSQL type name). */
  static <T> RecordCodec<T> of(TableMapping<T> mapping, Map<String, String> types) {
    return new RecordCodec<>(mapping, types);
  }

  /** The record in the current row of {@code rs}, whose columns are the mapping's, in order. */
  T read(ResultSet rs) throws SQLException {
    Object[] values = new Object[readers.length];
    for (int i = 0; i < readers.length; i++) {
      values[i] = readers[i].read(rs, i + 1);
    }
    return mapping.create(values);
  }

  /** The binder of component {@code i}'s values. */
  SqlText.Binder binder(int i) {
    return binders[i];
  }

  /**
   * The text the server reads as component {@code i}'s {@code value}: what {@link #binder} sends for it as text of
   * unspecified type, and for a value it binds as bytes, bytea's hex form. Null for null. This is how a value
   * travels as an element of an array literal, so that rows sent as one array per column are stored exactly as
   * rows sent one parameter per value.
   */
  String text(int i, Object value) {
    if (value == null) {
      return null;
    }
    String type = types[i];
    String column = columns[i];
    boolean bytea = "bytea".equals(type);
    if (jsonRoute[i] || (bytea && !(value instanceof byte[]))) {
      return Values.nodeText(mapping.valueToJson(value), column, type);
    } else if (value instanceof byte[] bytes && bytea) {
      return Values.hex(bytes);
    } else if (value instanceof String str) {
      return Values.text(str, column);
    } else if (value instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (plainText(value)) {
      return value.toString();
    } else if (value instanceof Enum<?> e) {
      return e.name();
    }
    return Values.nodeText(mapping.valueToJson(value), column, type);
  }

  private static boolean plainText(Object value) {
    return value instanceof Number || value instanceof Boolean || value instanceof UUID
        || value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime
        || value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime;
  }

  private static Reader reader(TableMapping<?> mapping, int i, String type) {
    Reader fallback = (rs, index) -> mapping.valueFromJson(i, RowReader.value(rs, index, type == null
        ? rs.getMetaData().getColumnTypeName(index) : type));
    if (type == null || !mapping.plain(i)) {
      return fallback;
    }
    Class<?> t = mapping.rawType(i);
    switch (type) {
      case "int2", "int4", "int8", "oid" -> {
        if (t == long.class || t == Long.class) {
          return (rs, index) -> {
            long v = rs.getLong(index);
            return rs.wasNull() ? null : v;
          };
        }
        if (t == int.class || t == Integer.class) {
          return (rs, index) -> {
            long v = rs.getLong(index);
            if (rs.wasNull()) {
              return null;
            }
            if (v != (int) v) {
              throw mapping.mismatch(mapping.column(i) + ": " + v + " does not fit an int", null);
            }
            return (int) v;
          };
        }
        if (t == short.class || t == Short.class) {
          return (rs, index) -> {
            long v = rs.getLong(index);
            if (rs.wasNull()) {
              return null;
            }
            if (v != (short) v) {
              throw mapping.mismatch(mapping.column(i) + ": " + v + " does not fit a short", null);
            }
            return (short) v;
          };
        }
        return t == String.class ? ResultSet::getString : fallback;
      }
      case "numeric" -> {
        if (t == BigDecimal.class) {
          return (rs, index) -> {
            String text = rs.getString(index);
            if (text == null) {
              return null;
            }
            try {
              return new BigDecimal(text);
            } catch (NumberFormatException e) {
              // NaN and the infinities: the reference route says what Jackson says of them.
              return fallback.read(rs, index);
            }
          };
        }
        return t == String.class ? ResultSet::getString : fallback;
      }
      case "float4", "float8" -> {
        if (t == double.class || t == Double.class) {
          return (rs, index) -> {
            double v = rs.getDouble(index);
            return rs.wasNull() ? null : v;
          };
        }
        return fallback;
      }
      case "bool" -> {
        if (t == boolean.class || t == Boolean.class) {
          return (rs, index) -> {
            boolean v = rs.getBoolean(index);
            return rs.wasNull() ? null : v;
          };
        }
        return fallback;
      }
      case "text", "varchar", "bpchar", "name", "citext" -> {
        if (t == String.class) {
          return ResultSet::getString;
        }
        return t.isEnum() ? enumReader(mapping, i, t, fallback) : fallback;
      }
      case "uuid" -> {
        if (t == UUID.class) {
          return (rs, index) -> rs.getObject(index, UUID.class);
        }
        return t == String.class ? ResultSet::getString : fallback;
      }
      case "timestamptz" -> {
        if (t == Instant.class || t == OffsetDateTime.class) {
          boolean instant = t == Instant.class;
          return (rs, index) -> {
            OffsetDateTime v = rs.getObject(index, OffsetDateTime.class);
            if (v == null) {
              return null;
            }
            if (v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN)) {
              return fallback.read(rs, index);
            }
            return instant ? v.toInstant() : v.withOffsetSameInstant(ZoneOffset.UTC);
          };
        }
        return fallback;
      }
      case "timestamp" -> {
        if (t == LocalDateTime.class) {
          return (rs, index) -> {
            LocalDateTime v = rs.getObject(index, LocalDateTime.class);
            return v == null || v.equals(LocalDateTime.MAX) || v.equals(LocalDateTime.MIN) ? v == null ? null
                : fallback.read(rs, index) : v;
          };
        }
        return fallback;
      }
      case "date" -> {
        if (t == LocalDate.class) {
          return (rs, index) -> {
            LocalDate v = rs.getObject(index, LocalDate.class);
            return v == null || v.equals(LocalDate.MAX) || v.equals(LocalDate.MIN) ? v == null ? null
                : fallback.read(rs, index) : v;
          };
        }
        return fallback;
      }
      case "time" -> {
        return t == LocalTime.class ? (rs, index) -> rs.getObject(index, LocalTime.class) : fallback;
      }
      case "json", "jsonb" -> {
        JavaType javaType = mapping.javaType(i);
        return (rs, index) -> {
          String text = rs.getString(index);
          if (text == null) {
            return null;
          }
          try {
            return mapping.mapper().readValue(text, javaType);
          } catch (JsonProcessingException e) {
            throw mapping.mismatch(mapping.column(i) + ": " + e.getOriginalMessage(), e);
          }
        };
      }
      case "bytea" -> {
        return t == byte[].class ? ResultSet::getBytes : fallback;
      }
      default -> {
        // A PostgreSQL enum or domain read as text; arrays and anything else take the reference route.
        if (!type.startsWith("_") && t == String.class) {
          return ResultSet::getString;
        }
        return !type.startsWith("_") && t.isEnum() ? enumReader(mapping, i, t, fallback) : fallback;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Reader enumReader(TableMapping<?> mapping, int i, Class<?> t, Reader fallback) {
    if (!plainEnum(t)) {
      return fallback;
    }
    return (rs, index) -> {
      String name = rs.getString(index);
      if (name == null) {
        return null;
      }
      try {
        return Enum.valueOf((Class) t, name);
      } catch (IllegalArgumentException e) {
        throw mapping.mismatch(mapping.column(i) + ": '" + name + "' is not a " + t.getSimpleName(), e);
      }
    };
  }

  /** An enum Jackson maps by constant name: none of its constants or methods carries a Jackson annotation. */
  private static boolean plainEnum(Class<?> t) {
    for (var f : t.getDeclaredFields()) {
      for (var a : f.getAnnotations()) {
        if (a.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
          return false;
        }
      }
    }
    for (var m : t.getDeclaredMethods()) {
      for (var a : m.getAnnotations()) {
        if (a.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether component {@code i}'s values are sent as the reference route sends them: as JSON, by the column type. */
  private static boolean jsonRoute(TableMapping<?> mapping, int i, String type) {
    boolean enumPlain = !mapping.rawType(i).isEnum() || plainEnum(mapping.rawType(i));
    return !mapping.plain(i) || !enumPlain || type == null || type.equals("json") || type.equals("jsonb")
        || type.startsWith("_");
  }

  private static SqlText.Binder binder(TableMapping<?> mapping, int i, String column, String type,
      boolean jsonRoute) {
    // What the reference route sends: the value as JSON, bound by the column's type.
    SqlText.Binder json = (ps, index, value) -> Values.bind(ps, index, value == null ? null : mapping.valueToJson(value),
        column, type);
    if (jsonRoute) {
      return json;
    }
    boolean bytea = type.equals("bytea");
    return (ps, index, value) -> {
      if (value == null) {
        ps.setNull(index, Types.OTHER);
      } else if (value instanceof byte[] bytes && bytea) {
        ps.setBytes(index, bytes);
      } else if (bytea) {
        json.bind(ps, index, value);
      } else if (value instanceof String s) {
        ps.setObject(index, Values.text(s, column), Types.OTHER);
      } else if (value instanceof BigDecimal d) {
        ps.setObject(index, d.toPlainString(), Types.OTHER);
      } else if (plainText(value)) {
        // Text of unspecified type, as the reference route sends it: the server reads it as the column's type.
        ps.setObject(index, value.toString(), Types.OTHER);
      } else if (value instanceof Enum<?> e) {
        ps.setObject(index, e.name(), Types.OTHER);
      } else {
        json.bind(ps, index, value);
      }
    };
  }
}
