package dev.holdfast.benchmarks;

import dev.holdfast.Table;

/** A row of {@code bench_items} (and {@code bench_batch}): the tables the JDBC and PostgREST measurements use. */
public record Item(Long id, String name, int qty) {
  static final Table<Item, Long> TABLE = Table.builder("bench_items", Item.class, Long.class).build();
  static final Table<Item, Long> TABLE_DOOMED = Table.builder("bench_doomed", Item.class, Long.class).build();
  static final Table<Item, Long> TABLE_BATCH = Table.builder("bench_batch", Item.class, Long.class).build();

  static final String DDL = "CREATE TABLE IF NOT EXISTS bench_items "
      + "(id bigserial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)";
}
