package dev.holdfast.benchmarks;

import dev.holdfast.Table;
import java.util.UUID;

/** A row of {@code bench_tagged}, whose id the client makes: the one-round-trip insert of issue 13. */
public record Tagged(UUID id, String name, int qty) {
  static final Table<Tagged, UUID> TABLE = Table.builder("bench_tagged", Tagged.class, UUID.class).build();

  static final String DDL = "CREATE TABLE IF NOT EXISTS bench_tagged "
      + "(id uuid PRIMARY KEY, name text NOT NULL, qty int NOT NULL)";
}
