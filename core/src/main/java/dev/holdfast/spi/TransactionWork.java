package dev.holdfast.spi;

/**
 * The body of a transaction as a backend runs it: every call on {@code transactional} belongs to the one
 * transaction, which commits when this returns and rolls back when it throws.
 *
 * @param <R> what the work returns
 */
@FunctionalInterface
public interface TransactionWork<R> {
  /** Runs the work; called once per attempt of the unit. */
  R run(Backend transactional) throws Exception;
}
