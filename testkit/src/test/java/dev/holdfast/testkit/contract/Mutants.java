package dev.holdfast.testkit.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.spi.Backend;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.ForwardingBackend;
import dev.holdfast.testkit.InMemoryBackend;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.internal.RowMatcher;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Backends that are each wrong in one classic way, run through the contract suite by
 * {@link ContractSuiteCatchesBrokenBackendsTest}. Static nested classes, so neither Surefire nor JUnit runs them
 * on their own.
 */
final class Mutants {
  private Mutants() {}

  /** The contract over a correct in-memory backend wrapped by {@link #wrap}. */
  abstract static class Mutant extends BackendContract {
    private final InMemoryDatabase database = new InMemoryDatabase();

    @Override
    protected void recreateTables() {
      ContractSchema.createIn(database);
    }

    @Override
    protected Backend newBackend() {
      return wrap(new InMemoryBackend(database));
    }

    abstract Backend wrap(Backend correct);
  }

  /** Not a mutant: proves the selected tests pass when nothing is broken. */
  static final class Correct extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return correct;
    }
  }

  /** Evaluates NOT with two-valued logic, so NOT over NULL selects the row. */
  static final class TwoValuedNot extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          List<T> all = delegate.select(context, table, query.withFilter(Filter.all()).withoutLimit().offset(0));
          return all.stream().filter(row -> twoValued(table.toJson(row, null), query.filter())).toList();
        }

        @Override
        public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
          TableMapping<ContractItem> items = ContractSchema.ITEMS.mapping();
          if (!table.equals(items.ref())) {
            return delegate.delete(context, table, filter, mode);
          }
          List<Object> ids = select(context, items, Query.where(filter)).stream().map(r -> (Object) r.id()).toList();
          return delegate.delete(context, table, Filter.in(table.idColumn(), ids), mode);
        }

      };
    }

    private static boolean twoValued(ObjectNode row, Filter filter) {
      if (filter instanceof Filter.Not not) {
        return !twoValued(row, not.filter());
      } else if (filter instanceof Filter.And and) {
        return and.filters().stream().allMatch(f -> twoValued(row, f));
      } else if (filter instanceof Filter.Or or) {
        return or.filters().stream().anyMatch(f -> twoValued(row, f));
      }
      return RowMatcher.matches(row, filter);
    }
  }

  /** Puts NULLs first whatever the sort key says. */
  static final class NullsAlwaysFirst extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          return delegate.select(context, table, query.orderBy(query.order().stream().map(Order::nullsFirst)
              .toList()));
        }
      };
    }
  }

  /** Drops the backslashes of LIKE patterns, so escaped wildcards become wildcards. */
  static final class LikeWithoutEscapes extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          return delegate.select(context, table, query.withFilter(rewrite(query.filter(), f ->
              f instanceof Filter.Like l ? new Filter.Like(l.column(), l.pattern().replace("\\", ""),
                  l.caseInsensitive()) : f)));
        }
      };
    }
  }

  /** Ignores the offset. */
  static final class IgnoresOffset extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          return delegate.select(context, table, query.offset(0));
        }
      };
    }
  }

  /** Inserts a batch row by row, so a failing row leaves the rows before it. */
  static final class NonAtomicBatch extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
            WriteMode mode) {
          List<T> out = new ArrayList<>();
          for (T row : rows) {
            out.addAll(delegate.insert(context, table, List.of(row), columns, mode));
          }
          return out;
        }
      };
    }
  }

  /** Reports conflicts without the constraint's name. */
  static final class AnonymousConflict extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
            WriteMode mode) {
          try {
            return delegate.insert(context, table, rows, columns, mode);
          } catch (ConflictException e) {
            throw new ConflictException(e.reason(), e.details(), null, e);
          }
        }
      };
    }
  }

  /** Stores timestamps with millisecond precision. */
  static final class MillisecondTimestamps extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
            WriteMode mode) {
          List<T> truncated = new ArrayList<>();
          for (T row : rows) {
            ObjectNode copy = table.toJson(row, null);
            if (copy.hasNonNull("created_at")) {
              copy.put("created_at", Instant.parse(copy.get("created_at").asText()).truncatedTo(ChronoUnit.MILLIS)
                  .toString());
            }
            truncated.add(table.fromJson(copy));
          }
          return delegate.insert(context, table, truncated, columns, mode);
        }
      };
    }
  }

  /** Upserts as ON CONFLICT DO NOTHING. */
  static final class UpsertKeepsOldRow extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows,
            List<String> conflictColumns, WriteMode mode) {
          List<T> out = new ArrayList<>();
          for (T row : rows) {
            Filter key = Filter.eq(conflictColumns.get(0), table.get(row, conflictColumns.get(0)));
            List<T> existing = delegate.select(context, table, Query.where(key));
            out.addAll(existing.isEmpty() ? delegate.insert(context, table, List.of(row), table.columns(), mode)
                : existing);
          }
          return out;
        }
      };
    }
  }

  /** Reads at most 100 values of an IN list. */
  static final class TruncatesInLists extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          return delegate.select(context, table, query.withFilter(rewrite(query.filter(), f ->
              f instanceof Filter.In in && in.values().size() > 100
                  ? new Filter.In(in.column(), in.values().subList(0, 100)) : f)));
        }
      };
    }
  }

  /** Compares text case-insensitively, as some collations and careless encoders do. */
  static final class CaseInsensitiveEquals extends Mutant {
    @Override
    Backend wrap(Backend correct) {
      return new ForwardingBackend(correct) {
        @Override
        public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
          return delegate.select(context, table, query.withFilter(rewrite(query.filter(), f ->
              f instanceof Filter.Compare c && c.op() == Filter.Op.EQ && c.value() instanceof String s
                  ? new Filter.Like(c.column(), Filter.escapeLike(s), true) : f)));
        }
      };
    }
  }

  /** {@code filter} with every leaf passed through {@code leaf}. */
  static Filter rewrite(Filter filter, UnaryOperator<Filter> leaf) {
    if (filter instanceof Filter.And and) {
      return new Filter.And(and.filters().stream().map(f -> rewrite(f, leaf)).toList());
    } else if (filter instanceof Filter.Or or) {
      return new Filter.Or(or.filters().stream().map(f -> rewrite(f, leaf)).toList());
    } else if (filter instanceof Filter.Not not) {
      return new Filter.Not(rewrite(not.filter(), leaf));
    }
    return leaf.apply(filter);
  }
}
