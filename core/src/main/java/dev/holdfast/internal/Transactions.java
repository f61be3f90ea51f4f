package dev.holdfast.internal;

import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.Guard;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.Transaction;
import dev.holdfast.TransactionOptions;
import dev.holdfast.spi.Backend;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs units of work in backend transactions under a guard: the unit as a whole is one guarded call, retried
 * from the start in a new transaction when the backend says nothing was applied, and a unit started inside
 * another one on the same thread joins it. Internal; thread-safe.
 */
public final class Transactions {
  private final Backend backend;
  private final Guard guard;
  /** The transaction the current thread runs a unit in, if any: nested units join it. */
  private final ThreadLocal<Transaction> current = new ThreadLocal<>();

  public Transactions(Backend backend, Guard guard) {
    this.backend = backend;
    this.guard = guard;
  }

  /** Runs {@code unit} in a transaction as the guarded call {@code name}, or in the current one. */
  public <R> R run(String name, TransactionOptions options, Transaction.Unit<R> unit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(unit, "unit");
    Transaction joined = current.get();
    if (joined != null) {
      return runUnit(unit, joined);
    }
    return guard.call(call(name, options), ctx -> attempt(ctx, options, unit));
  }

  /** Like {@link #run}, with each attempt on the guard's scheduler threads. */
  public <R> CompletableFuture<R> runAsync(String name, TransactionOptions options, Transaction.Unit<R> unit) {
    try {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(unit, "unit");
      Transaction joined = current.get();
      if (joined != null) {
        return CompletableFuture.completedFuture(runUnit(unit, joined));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return guard.callAsync(call(name, options), ctx -> attempt(ctx, options, unit));
  }

  private static Call call(String name, TransactionOptions options) {
    // A read-only unit changes nothing, so it may be repeated whatever happened to its COMMIT.
    return options.readOnly() ? Call.read(name) : Call.write(name);
  }

  private <R> R attempt(CallContext ctx, TransactionOptions options, Transaction.Unit<R> unit) {
    return backend.inTransaction(ctx, options, bound -> {
      Transaction tx = new Bound(bound, Caller.within(ctx), options);
      current.set(tx);
      try {
        return runUnit(unit, tx);
      } finally {
        current.remove();
      }
    });
  }

  private static <R> R runUnit(Transaction.Unit<R> unit, Transaction tx) {
    try {
      return unit.run(tx);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** A transaction as the unit sees it: repositories over the backend bound to it. */
  private record Bound(Backend backend, Caller caller, TransactionOptions options) implements Transaction {
    @Override
    public <T, ID> Repository<T, ID> repository(Table<T, ID> table) {
      Objects.requireNonNull(table, "table");
      return new BackendRepository<>(backend, caller, table, table.writeMode());
    }

    @Override
    public <X> X unwrap(Class<X> type) {
      Objects.requireNonNull(type, "type");
      return backend.unwrap(type).orElseThrow(() -> new IllegalArgumentException("The " + backend.name()
          + " backend's transactions have no " + type.getName() + " view"));
    }
  }
}
