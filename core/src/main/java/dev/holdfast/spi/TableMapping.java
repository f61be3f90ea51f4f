package dev.holdfast.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.internal.Values;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the rows of one table are records: the table, the record's components in order with the column each maps
 * to, and the two ways a backend turns values into components and back. Immutable and thread-safe; made once per
 * {@link dev.holdfast.Table}.
 *
 * <p><b>The mapping contract.</b> Every backend produces the same record for the same stored row. The reference
 * is Jackson with the table's {@linkplain #mapper() mapper}: a row as a JSON object of its columns (numbers exact,
 * timestamps as ISO-8601 strings, bytea as base64, json/jsonb as JSON, SQL NULL in a json/jsonb column as a
 * {@code null} component rather than a JSON null node: the mapper's {@code JsonNode} deserializer says so) becomes
 * the record {@link #fromJson} makes of it, and a
 * record becomes the row {@link #toJson} makes. JSON backends (PostgREST, memory) use these directly. A backend
 * may convert a component itself — JDBC reads an {@code int8} straight into a {@code long} — only when
 * {@link #plain(int)} says no Jackson annotation changes that component's conversion, and then it must give the
 * result Jackson would give.
 *
 * @param <T> the record type
 */
public final class TableMapping<T> {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
  private static final MethodType MAKER = MethodType.methodType(Object.class, Object[].class);

  private final TableRef ref;
  private final Class<T> type;
  private final List<String> columns;
  private final Map<String, Integer> indexes;
  private final RecordComponent[] components;
  private final JavaType[] javaTypes;
  private final boolean[] plain;
  private final Object[] defaults;
  private final MethodHandle[] getters;
  private final MethodHandle maker;
  private final ObjectMapper mapper;
  private final ObjectReader reader;

  private TableMapping(TableRef ref, Class<T> type, List<String> columns, ObjectMapper mapper) {
    this.ref = Objects.requireNonNull(ref, "ref");
    this.type = Objects.requireNonNull(type, "type");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    this.components = type.getRecordComponents();
    this.columns = List.copyOf(columns);
    if (this.columns.size() != components.length) {
      throw new IllegalArgumentException(type.getName() + " has " + components.length + " components but "
          + this.columns.size() + " columns were given");
    }
    this.indexes = new HashMap<>();
    this.javaTypes = new JavaType[components.length];
    this.plain = new boolean[components.length];
    this.defaults = new Object[components.length];
    this.getters = new MethodHandle[components.length];
    Class<?>[] raw = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      indexes.put(this.columns.get(i), i);
      raw[i] = c.getType();
      javaTypes[i] = mapper.getTypeFactory().constructType(c.getGenericType());
      plain[i] = isPlain(type, c);
      defaults[i] = c.getType().isPrimitive() ? java.lang.reflect.Array.get(
          java.lang.reflect.Array.newInstance(c.getType(), 1), 0) : null;
      try {
        var accessor = c.getAccessor();
        accessor.setAccessible(true);
        getters[i] = LOOKUP.unreflect(accessor).asType(GETTER);
      } catch (IllegalAccessException | RuntimeException e) {
        throw new IllegalArgumentException("Cannot read component " + c.getName() + " of " + type.getName()
            + " (make the record accessible to holdfast)", e);
      }
    }
    try {
      Constructor<T> canonical = type.getDeclaredConstructor(raw);
      canonical.setAccessible(true);
      this.maker = LOOKUP.unreflectConstructor(canonical).asSpreader(Object[].class, raw.length).asType(MAKER);
    } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot call the canonical constructor of " + type.getName(), e);
    }
    this.reader = mapper.readerFor(type);
  }

  /**
   * The mapping of {@code ref}'s rows to {@code type} records whose components, in order, map to {@code columns};
   * {@code mapper} is the reference conversion (see the class comment).
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is not a record, is not accessible, or the column count
   *     differs from its component count
   */
  public static <T> TableMapping<T> of(TableRef ref, Class<T> type, List<String> columns, ObjectMapper mapper) {
    return new TableMapping<>(ref, type, columns, mapper);
  }

  /** The table. */
  public TableRef ref() {
    return ref;
  }

  /** The record type. */
  public Class<T> type() {
    return type;
  }

  /** The number of components. */
  public int size() {
    return components.length;
  }

  /** The columns, in the order of the record's components. */
  public List<String> columns() {
    return columns;
  }

  /** The column of component {@code i}. */
  public String column(int i) {
    return columns.get(i);
  }

  /** The component that maps to {@code column}, or -1. */
  public int indexOf(String column) {
    Integer i = indexes.get(column);
    return i == null ? -1 : i;
  }

  /** The declared class of component {@code i}. */
  public Class<?> rawType(int i) {
    return components[i].getType();
  }

  /** The generic type of component {@code i}. */
  public Type genericType(int i) {
    return components[i].getGenericType();
  }

  /** Jackson's view of component {@code i}'s type. */
  public JavaType javaType(int i) {
    return javaTypes[i];
  }

  /**
   * Whether no Jackson annotation other than {@code @JsonProperty} affects how component {@code i} converts, on
   * the component, its field, its accessor or its type: a backend may then convert it itself.
   */
  public boolean plain(int i) {
    return plain[i];
  }

  /** Component {@code i} of {@code row}. */
  public Object get(T row, int i) {
    try {
      return (Object) getters[i].invokeExact((Object) row);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of {@code column} in {@code row}. */
  public Object get(T row, String column) {
    int i = indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no component maps to column " + column);
    }
    return get(row, i);
  }

  /**
   * A record of {@code values}, one per component in order; null for a primitive component is its default (as
   * Jackson does). The array is modified.
   *
   * @throws SchemaMismatchException if a value's type does not fit its component
   */
  @SuppressWarnings("unchecked")
  public T create(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null && defaults[i] != null) {
        values[i] = defaults[i];
      }
    }
    try {
      return (T) (Object) maker.invokeExact(values);
    } catch (ClassCastException e) {
      throw mismatch(Arrays.toString(values) + " do not fit " + type.getSimpleName() + "'s components", e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** The mapper of the reference conversion. Do not reconfigure it. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * A reader of {@code T} records from JSON objects keyed by column, with the SQL NULL rule for json/jsonb
   * components, for backends that parse responses straight into records.
   */
  public ObjectReader reader() {
    return reader;
  }

  /** The record a JSON row makes, by the reference conversion. */
  public T fromJson(JsonNode row) {
    try {
      return mapper.treeToValue(row, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw mismatch(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage(), e);
    }
  }

  /**
   * {@code row} as a JSON object of {@code columns} (every component's column when null), by the reference
   * conversion; a null component is a JSON null.
   *
   * @throws dev.holdfast.InvalidRequestException if the row cannot be stored: Jackson cannot serialize it, or a
   *     string in it holds the NUL character
   */
  public ObjectNode toJson(T row, Collection<String> columns) {
    ObjectNode all;
    try {
      all = mapper.valueToTree(row);
    } catch (IllegalArgumentException e) {
      throw unserializable("A row of " + ref.qualifiedName(), e);
    }
    // Only the table's columns: a getter Jackson also writes is no column, whatever its name.
    ObjectNode out = mapper.createObjectNode();
    for (String c : columns == null ? this.columns : columns) {
      out.set(c, Values.requireStorable(all.get(c), c));
    }
    return out;
  }

  /**
   * A Java value (a record component's, or a change's) as JSON by the reference conversion.
   *
   * @throws dev.holdfast.InvalidRequestException if Jackson cannot serialize it or a string in it holds NUL
   */
  public JsonNode valueToJson(Object value) {
    return valueToJson(value, "value");
  }

  /** {@link #valueToJson(Object)} for a value of {@code column}, which the errors name. */
  public JsonNode valueToJson(Object value, String column) {
    try {
      return Values.requireStorable(mapper.valueToTree(value), column);
    } catch (IllegalArgumentException e) {
      throw unserializable("The value for column " + column + " (a " + value.getClass().getName() + ")", e);
    }
  }

  private InvalidRequestException unserializable(String what, IllegalArgumentException e) {
    String why = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return new InvalidRequestException(what + " cannot be converted to JSON: " + why, ErrorDetails.of("holdfast")
        .withHint("Use component types Jackson can serialize, or register a module for them on the table's "
            + "object mapper."), e);
  }

  /** The value of component {@code i} that {@code json} makes, by the reference conversion. */
  public Object valueFromJson(int i, JsonNode json) {
    if (json == null || (json.isNull() && JsonNode.class.isAssignableFrom(components[i].getType()))) {
      return defaults[i];
    }
    try {
      return mapper.treeToValue(json, javaTypes[i]);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw mismatch("column " + columns.get(i) + ": "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  /** The error for a stored value that does not fit its component. */
  public SchemaMismatchException mismatch(String detail, Throwable cause) {
    return new SchemaMismatchException("A row of " + ref.qualifiedName() + " does not map to " + type.getSimpleName()
        + ": " + detail, ErrorDetails.of("holdfast")
        .withHint("Check that the record's components match the table's columns and types."), cause);
  }

  private static boolean isPlain(Class<?> record, RecordComponent c) {
    if (jacksonAnnotated(c.getAnnotations()) || jacksonAnnotated(c.getAccessor().getAnnotations())
        || jacksonAnnotated(c.getType().getAnnotations())) {
      return false;
    }
    try {
      Field f = record.getDeclaredField(c.getName());
      return !jacksonAnnotated(f.getAnnotations());
    } catch (NoSuchFieldException e) {
      return true;
    }
  }

  private static boolean jacksonAnnotated(Annotation[] annotations) {
    for (Annotation a : annotations) {
      String name = a.annotationType().getName();
      if (name.startsWith("com.fasterxml.jackson.") && !name.equals(
          "com.fasterxml.jackson.annotation.JsonProperty")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "TableMapping{" + ref.qualifiedName() + " as " + type.getSimpleName() + columns + "}";
  }
}
