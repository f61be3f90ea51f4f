package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.rest.FuzzySet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MockPostgrest's schema cache: the tables (their specs), functions and relationships PostgREST would have
 * loaded, taken from the database at one moment. It is deliberately separate from the data: a table dropped
 * after the cache was loaded still resolves here and then fails in the database ({@code 404 42P01}), a table
 * created after it is unknown here ({@code 404 PGRST205}) until the cache is reloaded. Immutable.
 */
final class MockPostgrestSchema {
  /** How an embedded resource relates to its parent. */
  enum Cardinality { M2O, O2M, O2O }

  /**
   * A relationship from {@code table} to {@code foreignTable} along foreign key {@code constraint}: {@code
   * columns.get(i)} of the table matches {@code foreignColumns.get(i)} of the foreign table.
   */
  record Relationship(String constraint, String table, String foreignTable, Cardinality cardinality,
      List<String> columns, List<String> foreignColumns) {
    boolean toOne() {
      return cardinality != Cardinality.O2M;
    }

    boolean self() {
      return table.equals(foreignTable);
    }
  }

  final long version;
  private final Map<String, TableSpec> tables;
  private final Map<String, List<MockPostgrestFunction>> functions;

  private MockPostgrestSchema(long version, Map<String, TableSpec> tables,
      Map<String, List<MockPostgrestFunction>> functions) {
    this.version = version;
    this.tables = tables;
    this.functions = functions;
  }

  static MockPostgrestSchema load(long version, Map<String, TableSpec> tables,
      Map<String, List<MockPostgrestFunction>> functions) {
    Map<String, List<MockPostgrestFunction>> fs = new LinkedHashMap<>();
    functions.forEach((k, v) -> fs.put(k, List.copyOf(v)));
    return new MockPostgrestSchema(version, Map.copyOf(tables), fs);
  }

  TableSpec table(String schema, String name) {
    return tables.get(schema + "." + name);
  }

  /** The names of the tables in {@code schema}, in a stable order. */
  List<String> tableNames(String schema) {
    List<String> out = new ArrayList<>();
    tables.values().stream().filter(t -> t.schema().equals(schema)).map(TableSpec::name).sorted().forEach(out::add);
    return out;
  }

  List<MockPostgrestFunction> functions(String schema, String name) {
    return functions.getOrDefault(schema + "." + name, List.of());
  }

  List<String> functionNames(String schema) {
    List<String> out = new ArrayList<>();
    functions.forEach((k, v) -> {
      if (!v.isEmpty() && v.get(0).schema().equals(schema)) {
        out.add(v.get(0).name());
      }
    });
    return out;
  }

  /**
   * The relationships from {@code origin}, foreign keys in both directions, within {@code schema}, in the order
   * PostgREST's schema cache sorts them (its derived {@code Ord}: foreign table, self, cardinality O2M < M2O <
   * O2O, constraint name), which is the order of PGRST201's candidates.
   */
  List<Relationship> relationships(String schema, String origin) {
    List<Relationship> out = new ArrayList<>();
    TableSpec from = table(schema, origin);
    if (from == null) {
      return out;
    }
    for (TableSpec.ForeignKey fk : from.foreignKeys()) {
      if (fk.schema().equals(schema) && table(schema, fk.table()) != null) {
        out.add(new Relationship(fk.name(), origin, fk.table(), unique(from, fk.columns()) ? Cardinality.O2O
            : Cardinality.M2O, fk.columns(), fk.refColumns()));
      }
    }
    for (TableSpec other : tables.values()) {
      if (!other.schema().equals(schema)) {
        continue;
      }
      for (TableSpec.ForeignKey fk : other.foreignKeys()) {
        if (fk.schema().equals(schema) && fk.table().equals(origin)) {
          out.add(new Relationship(fk.name(), origin, other.name(), unique(other, fk.columns())
              ? Cardinality.O2O : Cardinality.O2M, fk.refColumns(), fk.columns()));
        }
      }
    }
    out.sort(java.util.Comparator.comparing(Relationship::foreignTable)
        .thenComparing(Relationship::self)
        .thenComparing(r -> switch (r.cardinality()) {
          case O2M -> 0;
          case M2O -> 1;
          case O2O -> 2;
        })
        .thenComparing(Relationship::constraint)
        .thenComparing(r -> String.join(",", r.columns())));
    return out;
  }

  /** The tables of {@code schema} that have a relationship, as PostgREST's relationship map is keyed. */
  private List<String> tablesWithRelationships(String schema) {
    List<String> out = new ArrayList<>();
    for (String t : tableNames(schema)) {
      if (!relationships(schema, t).isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean unique(TableSpec t, List<String> columns) {
    if (columns.size() == 1 && columns.get(0).equals(t.idColumn())) {
      return true;
    }
    return t.uniques().stream().anyMatch(u -> u.size() == columns.size() && u.containsAll(columns));
  }

  /** PostgREST's {@code noRelBetweenHint}. */
  String noRelationshipHint(String schema, String parent, String child) {
    List<Relationship> rels = relationships(schema, parent);
    if (!rels.isEmpty()) {
      FuzzySet children = new FuzzySet(rels.stream().map(Relationship::foreignTable).toList());
      for (Object[] m : children.get(child)) {
        if ((Double) m[0] < 1.0) {
          return "Perhaps you meant '" + m[1] + "' instead of '" + child + "'.";
        }
      }
      return null;
    }
    String suggestion = new FuzzySet(tablesWithRelationships(schema)).getOne(parent);
    return suggestion == null ? null : "Perhaps you meant '" + suggestion + "' instead of '" + parent + "'.";
  }

  /** PostgREST's {@code tableNotFoundHint}. */
  String tableNotFoundHint(String schema, String table) {
    String suggestion = new FuzzySet(tableNames(schema)).getOne(table);
    return suggestion == null ? null : "Perhaps you meant the table '" + schema + "." + suggestion + "'";
  }
}
