package dev.holdfast;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.holdfast.internal.Json;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table described once: its name and schema, its id column, and the Java record each row maps to. Columns are
 * the names Jackson gives the record's properties: its components in snake_case ({@code createdAt} is {@code
 * created_at}) unless {@link Builder#columnNamesAsIs()} is chosen, or the name a component's {@code @JsonProperty}
 * says. Every column name is checked as an {@link Identifier} when the table is built, so a name no backend can
 * use safely ({@code @JsonProperty("name\"; drop table t;--")}) fails here with {@link InvalidRequestException},
 * the same for every backend. Rows convert to and from records through Jackson, the same way on every backend.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * record Task(Long id, String title, boolean done, Instant createdAt) {}
 *
 * static final Table<Task, Long> TASKS = Table.builder("tasks", Task.class, Long.class).build();
 * }</pre>
 *
 * @param <T> the record type of a row
 * @param <ID> the type of the id column
 */
public final class Table<T, ID> {
  private final TableRef ref;
  private final Class<T> type;
  private final Class<ID> idType;
  private final boolean snakeCase;
  private final ObjectMapper mapper;
  private final Map<String, String> columnsByProperty;
  private final RecordComponent idComponent;
  private final TableMapping<T> mapping;
  private final WriteMode writeMode;

  private Table(Builder<T, ID> b) {
    this.type = b.type;
    this.idType = b.idType;
    this.snakeCase = b.snakeCase;
    this.mapper = Json.rowMapper(b.mapper, snakeCase);
    // The columns are the names Jackson writes rows with (a record component's @JsonProperty, the naming
    // strategy, any extra getter), because those names are what reaches a backend: each is checked here, once.
    Map<String, String> columns = new LinkedHashMap<>();
    for (BeanPropertyDefinition p : serializedProperties()) {
      String column = p.getName();
      if (!Identifier.isValid(column)) {
        throw new InvalidRequestException("Record " + type.getName() + " maps " + describe(p) + " to the column "
            + "name '" + Identifier.shown(column) + "', which is not a valid identifier",
            ErrorDetails.of("holdfast").withHint("Use 1-63 letters, digits and underscores, not starting with a "
                + "digit, in @JsonProperty and in the object mapper's naming strategy."), null);
      }
      columns.put(p.getInternalName(), column);
    }
    RecordComponent id = null;
    for (RecordComponent c : type.getRecordComponents()) {
      String column = columns.get(c.getName());
      if (column != null && (column.equals(b.idColumn) || c.getName().equals(b.idColumn))) {
        id = c;
      }
    }
    if (id == null) {
      throw new IllegalArgumentException(
          "Record " + type.getName() + " has no component for id column '" + b.idColumn + "'");
    }
    // A row is the record's components, in order; a getter Jackson would also write is no column of the table.
    List<String> componentColumns = new java.util.ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      String column = columns.get(c.getName());
      if (column == null) {
        throw new IllegalArgumentException("Record " + type.getName() + " has component '" + c.getName()
            + "', which Jackson does not write (is it @JsonIgnore'd?): every component must map to a column");
      }
      componentColumns.add(column);
    }
    this.columnsByProperty = Map.copyOf(columns);
    this.idComponent = id;
    this.ref = new TableRef(b.schema, b.name, columns.get(id.getName()), List.copyOf(componentColumns));
    this.mapping = TableMapping.of(ref, type, ref.columns(), mapper);
    this.writeMode = b.writeMode;
  }

  private List<BeanPropertyDefinition> serializedProperties() {
    JavaType javaType = mapper.constructType(type);
    BeanDescription description = mapper.getSerializationConfig().introspect(javaType);
    return description.findProperties().stream().filter(BeanPropertyDefinition::couldSerialize).toList();
  }

  private static String describe(BeanPropertyDefinition p) {
    return "'" + p.getInternalName() + "'";
  }

  /**
   * Starts describing table {@code name} whose rows are {@code type} records with ids of {@code idType}. The
   * schema defaults to {@code public} and the id column to {@code id}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is not a record
   * @throws InvalidRequestException if {@code name} is not a valid identifier
   */
  public static <T, ID> Builder<T, ID> builder(String name, Class<T> type, Class<ID> idType) {
    return new Builder<>(name, type, idType);
  }

  /** The table's reference as adapters see it. */
  public TableRef ref() {
    return ref;
  }

  /** The table's name. */
  public String name() {
    return ref.name();
  }

  /** The table's schema. */
  public String schema() {
    return ref.schema();
  }

  /** The id column's name. */
  public String idColumn() {
    return ref.idColumn();
  }

  /** The record type of a row. */
  public Class<T> type() {
    return type;
  }

  /** The id type. */
  public Class<ID> idType() {
    return idType;
  }

  /** The columns, in the order of the record's components. */
  public List<String> columns() {
    return ref.columns();
  }

  /**
   * The database column for {@code name}, which may be a record component ({@code createdAt}) or already a
   * column ({@code created_at}).
   *
   * @throws NullPointerException if {@code name} is null
   * @throws InvalidRequestException if the name is not a valid identifier
   */
  public String column(String name) {
    Objects.requireNonNull(name, "name");
    String column = columnsByProperty.get(name);
    return column != null ? column : Identifier.require(name, "column");
  }

  /** How rows of this table are records, as backends see it. */
  public TableMapping<T> mapping() {
    return mapping;
  }

  /**
   * The mode of the writes that are {@link WriteMode#CONFIRMED} by default: inserts of rows without their id
   * (a server-generated key), {@code updateWhere} and {@code deleteWhere}.
   */
  public WriteMode writeMode() {
    return writeMode;
  }

  /** The object mapper that converts this table's rows; configured for its column naming. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * The id of {@code row}.
   *
   * @throws NullPointerException if {@code row} is null
   */
  @SuppressWarnings("unchecked")
  public ID idOf(T row) {
    Objects.requireNonNull(row, "row");
    try {
      return (ID) idComponent.getAccessor().invoke(row);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot read id of " + type.getName(), e);
    }
  }

  @Override
  public String toString() {
    return "Table{" + ref.schema() + "." + ref.name() + ", id=" + ref.idColumn() + ", type=" + type.getSimpleName()
        + "}";
  }

  /**
   * Describes a {@link Table}. Not thread-safe; {@link #build()} copies the configuration.
   *
   * @param <T> the record type
   * @param <ID> the id type
   */
  public static final class Builder<T, ID> {
    private final String name;
    private final Class<T> type;
    private final Class<ID> idType;
    private String schema = "public";
    private String idColumn = "id";
    private boolean snakeCase = true;
    private ObjectMapper mapper;
    private WriteMode writeMode = WriteMode.CONFIRMED;

    private Builder(String name, Class<T> type, Class<ID> idType) {
      this.name = Identifier.require(name, "table");
      this.type = Objects.requireNonNull(type, "type");
      this.idType = Objects.requireNonNull(idType, "idType");
      if (!type.isRecord()) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
    }

    /** The schema; default {@code public}. */
    public Builder<T, ID> schema(String schema) {
      this.schema = Identifier.require(schema, "schema");
      return this;
    }

    /** The id column (or its record component's name); default {@code id}. */
    public Builder<T, ID> idColumn(String idColumn) {
      this.idColumn = Identifier.require(idColumn, "id column");
      return this;
    }

    /** Use the record's component names as column names, without converting to snake_case. */
    public Builder<T, ID> columnNamesAsIs() {
      this.snakeCase = false;
      return this;
    }

    /**
     * The object mapper to copy for row conversion, for custom modules (such as jackson-datatype-jsr310);
     * holdfast copies it and sets the naming strategy. Default: a mapper that handles {@code java.time} values.
     */
    public Builder<T, ID> objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * The mode of this table's inserts with a server-generated key, {@code updateWhere} and {@code deleteWhere};
     * default {@link WriteMode#CONFIRMED} (two round trips on JDBC; a connection lost before COMMIT is known to
     * have changed nothing). {@link WriteMode#ONE_ROUND_TRIP} halves the round trips, and a connection lost after
     * the statement was sent then ends in {@link UnknownOutcomeException}.
     */
    public Builder<T, ID> writeMode(WriteMode writeMode) {
      this.writeMode = Objects.requireNonNull(writeMode, "writeMode");
      return this;
    }

    /**
     * The table.
     *
     * @throws InvalidRequestException if Jackson maps a property of the record to a name that is not a valid
     *     identifier (through {@code @JsonProperty} or the mapper's naming strategy)
     * @throws IllegalArgumentException if the record has no component for the id column
     */
    public Table<T, ID> build() {
      return new Table<>(this);
    }
  }
}
