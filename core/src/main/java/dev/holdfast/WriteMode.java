package dev.holdfast;

/**
 * How a write reaches the database, which decides what a connection lost in the middle means.
 *
 * <table>
 *   <caption>Write kinds</caption>
 *   <tr><th>Write</th><th>Default</th><th>Round trips (JDBC)</th><th>A dropped connection means</th></tr>
 *   <tr><td>upsert, {@code updateById}, {@code deleteById}</td><td>{@link #ONE_ROUND_TRIP}</td><td>1</td>
 *       <td>perhaps applied; retried, because running it again changes nothing more</td></tr>
 *   <tr><td>insert of a row that carries its id</td><td>{@link #ONE_ROUND_TRIP}</td><td>1</td>
 *       <td>perhaps applied; holdfast reads the id back: the same row stored is success, nothing stored is
 *       retried, another row is a {@link ConflictException}</td></tr>
 *   <tr><td>insert with a server-generated key, {@code updateWhere}, {@code deleteWhere}</td><td>{@link
 *       #CONFIRMED}</td><td>2</td><td>lost before COMMIT: nothing applied, retried; lost during COMMIT:
 *       {@link UnknownOutcomeException}</td></tr>
 * </table>
 *
 * <p>A table ({@link Table.Builder#writeMode}) or a repository view ({@link Repository#withWriteMode}) can choose
 * {@link #ONE_ROUND_TRIP} for the last row too: half the round trips, and {@link UnknownOutcomeException} for any
 * connection lost after the statement was sent. Backends whose every request is its own transaction (PostgREST)
 * treat both modes alike.
 */
public enum WriteMode {
  /**
   * In a transaction of its own, committed separately: a connection lost before COMMIT was sent proves that
   * nothing was applied, so even a non-idempotent write is retried safely.
   */
  CONFIRMED,
  /** One statement in autocommit: one round trip, and a lost connection leaves the outcome open. */
  ONE_ROUND_TRIP
}
