package dev.holdfast;

import java.util.Objects;

/**
 * How {@link Holdfast#inTransaction} runs its unit: isolation level and access mode. Immutable; the {@code with*}
 * methods return copies.
 *
 * <pre>{@code
 * TransactionOptions serializable = TransactionOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
 * TransactionOptions report = TransactionOptions.defaults().withReadOnly(true);
 * }</pre>
 *
 * @param isolation the isolation level
 * @param readOnly whether the transaction may only read
 */
public record TransactionOptions(Isolation isolation, boolean readOnly) {
  /** Transaction isolation levels, as PostgreSQL names them. */
  public enum Isolation {
    /** The database's default (READ COMMITTED unless configured otherwise). */
    DEFAULT,
    READ_COMMITTED,
    REPEATABLE_READ,
    SERIALIZABLE
  }

  public TransactionOptions {
    Objects.requireNonNull(isolation, "isolation");
  }

  /** The database's default isolation, read-write. */
  public static TransactionOptions defaults() {
    return new TransactionOptions(Isolation.DEFAULT, false);
  }

  /** A copy at {@code isolation}. */
  public TransactionOptions withIsolation(Isolation isolation) {
    return new TransactionOptions(isolation, readOnly);
  }

  /** A copy that is read-only or read-write. */
  public TransactionOptions withReadOnly(boolean readOnly) {
    return new TransactionOptions(isolation, readOnly);
  }
}
