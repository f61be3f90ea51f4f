package dev.holdfast.testkit;

import dev.holdfast.Identifier;
import dev.holdfast.testkit.internal.rest.PgType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A database function as PostgREST's schema cache sees it, served by {@link MockPostgrest} at {@code
 * /rpc/<name>}: its parameters (PostgREST picks the overload whose parameters match the argument names, else
 * {@code 404 PGRST202} with its hint), what it returns (a scalar, a set of scalars, a row or a set of rows of a
 * table, or nothing), and its body. Arguments reach the body converted to the parameters' types; rows it returns
 * are filtered, ordered, ranged, counted and embedded like a table's. Immutable and thread-safe.
 *
 * <pre>{@code
 * postgrest.function(MockPostgrestFunction.builder("add_them")
 *     .param("a", "integer").param("b", "integer").returns("integer")
 *     .body(args -> IntNode.valueOf(args.get("a").asInt() + args.get("b").asInt())));
 * postgrest.function(MockPostgrestFunction.builder("open_tasks").returnsRows("tasks")
 *     .body(args -> postgrest.database()...));
 * }</pre>
 */
public final class MockPostgrestFunction {
  /** What a function returns. */
  public enum Returns { SCALAR, SET_OF_SCALARS, ROW, ROWS, VOID, ANY }

  /** One parameter: its name (empty for a single unnamed one), type, and whether it has a default. */
  public record Param(String name, String type, boolean required) {}

  private final String schema;
  private final String name;
  private final List<Param> params;
  private final Returns returns;
  private final String returnType;
  private final String returnTable;
  private final MockPostgrest.Function body;

  private MockPostgrestFunction(Builder b) {
    this.schema = b.schema;
    this.name = b.name;
    this.params = List.copyOf(b.params);
    this.returns = b.returns;
    this.returnType = b.returnType;
    this.returnTable = b.returnTable;
    this.body = Objects.requireNonNull(b.body, "body");
  }

  /** Starts a function {@code public.<name>} that returns {@code json}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A function that accepts any arguments and returns what its body returns as {@code json}. */
  static MockPostgrestFunction untyped(String name, MockPostgrest.Function body) {
    Builder b = new Builder(name);
    b.returns = Returns.ANY;
    b.body = body;
    return b.build();
  }

  public String schema() {
    return schema;
  }

  public String name() {
    return name;
  }

  public List<Param> params() {
    return params;
  }

  public Returns returns() {
    return returns;
  }

  /** The scalar return type, such as {@code integer}; null for rows and void. */
  public String returnType() {
    return returnType;
  }

  /** The table a function returning rows returns rows of; null otherwise. */
  public String returnTable() {
    return returnTable;
  }

  MockPostgrest.Function body() {
    return body;
  }

  boolean acceptsAnyArguments() {
    return returns == Returns.ANY;
  }

  boolean returnsSingle() {
    return returns == Returns.SCALAR || returns == Returns.ROW || returns == Returns.ANY;
  }

  @Override
  public String toString() {
    return schema + "." + name + params.stream().map(p -> p.name() + " " + p.type()).toList();
  }

  /** Builds a {@link MockPostgrestFunction}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String schema = "public";
    private final List<Param> params = new ArrayList<>();
    private Returns returns = Returns.SCALAR;
    private String returnType = "json";
    private String returnTable;
    private MockPostgrest.Function body;

    private Builder(String name) {
      this.name = Identifier.require(name, "function");
    }

    /** The schema; default {@code public}. */
    public Builder schema(String schema) {
      this.schema = Identifier.require(schema, "schema");
      return this;
    }

    /** A required parameter of a PostgreSQL type. */
    public Builder param(String name, String type) {
      return add(name, type, true);
    }

    /** A parameter with a default: calls may leave it out. */
    public Builder optionalParam(String name, String type) {
      return add(name, type, false);
    }

    /**
     * A single unnamed {@code json} parameter: a POST's whole JSON body is the argument, whatever its keys
     * (PostgREST's fallback for {@code f(json)}); the body receives it as {@code args} when it is an object.
     */
    public Builder singleJsonParam() {
      params.add(new Param("", "json", true));
      return this;
    }

    private Builder add(String name, String type, boolean required) {
      PgType.of(Objects.requireNonNull(type, "type"));
      params.add(new Param(Identifier.require(name, "parameter"), type, required));
      return this;
    }

    /** Returns one value of {@code type} ({@code integer}, {@code text}, {@code jsonb}, ...); the default is json. */
    public Builder returns(String type) {
      PgType.of(type);
      this.returns = Returns.SCALAR;
      this.returnType = type;
      return this;
    }

    /** Returns {@code SETOF type}: the body returns a JSON array of values. */
    public Builder returnsSetOf(String type) {
      PgType.of(type);
      this.returns = Returns.SET_OF_SCALARS;
      this.returnType = type;
      return this;
    }

    /** Returns one row of {@code table} (in the function's schema): the body returns a JSON object. */
    public Builder returnsRow(String table) {
      this.returns = Returns.ROW;
      this.returnTable = Identifier.require(table, "table");
      this.returnType = null;
      return this;
    }

    /** Returns {@code SETOF table}: the body returns a JSON array of objects, treated as that table's rows. */
    public Builder returnsRows(String table) {
      this.returns = Returns.ROWS;
      this.returnTable = Identifier.require(table, "table");
      this.returnType = null;
      return this;
    }

    /** Returns {@code void}: answered with 204 and no body. */
    public Builder returnsVoid() {
      this.returns = Returns.VOID;
      this.returnType = null;
      return this;
    }

    /** The function's body; it may throw {@link MockPostgrestRaise} or a holdfast exception. */
    public Builder body(MockPostgrest.Function body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    public MockPostgrestFunction build() {
      return new MockPostgrestFunction(this);
    }
  }
}
