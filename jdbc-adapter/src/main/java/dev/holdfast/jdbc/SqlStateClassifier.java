package dev.holdfast.jdbc;

import dev.holdfast.HoldfastException;
import dev.holdfast.jdbc.internal.SqlFailures;
import dev.holdfast.spi.ErrorClassifier;
import java.util.Optional;

/**
 * Classifies JDBC failures by SQLSTATE into holdfast's taxonomy, walking the cause chain and each
 * {@link java.sql.SQLException#getNextException()}. It is found on the class path through
 * {@code META-INF/services/dev.holdfast.spi.ErrorClassifier}, so wrapping your own JDBC DAO with a
 * {@link dev.holdfast.Guard} retries the same failures holdfast's JDBC backend retries:
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>SQLSTATE / failure</th><th>Result</th></tr>
 *   <tr><td>Connection failures the connection doctor knows (its failure rules, listed in the README's
 *       troubleshooting table): failed logins (28xxx, 3D000), "Tenant or user not found" and other Supavisor
 *       and PgBouncer refusals ("unsupported startup parameter", "no such database"), TLS set up wrongly (no TLS
 *       on the server, an untrusted chain, a host the certificate does not name), unknown hosts</td>
 *       <td>{@link dev.holdfast.ConfigurationException}, first tried before the rows below; its hint is the
 *       doctor's advice, word for word</td></tr>
 *   <tr><td>Refused, unreachable or timed-out connects, a server starting up, too many clients</td>
 *       <td>{@link dev.holdfast.TransientException}, not sent, with the doctor's advice as its hint</td></tr>
 *   <tr><td>08xxx, 57P01/57P02/57P03, 53xxx (53300 too many connections), 58xxx, I/O errors</td>
 *       <td>{@link dev.holdfast.TransientException}; not sent when it failed while connecting</td></tr>
 *   <tr><td>40001, 40P01, 55P03</td><td>transient; the transaction was rolled back</td></tr>
 *   <tr><td>57014 (statement timeout)</td><td>transient</td></tr>
 *   <tr><td>23xxx</td><td>{@link dev.holdfast.ConflictException} naming the constraint (23505: duplicate key)</td></tr>
 *   <tr><td>42P01, 42703, 42883, 3F000</td><td>{@link dev.holdfast.SchemaMismatchException}</td></tr>
 *   <tr><td>22xxx, other 42xxx</td><td>{@link dev.holdfast.InvalidRequestException}</td></tr>
 *   <tr><td>42501, 26000/42P05/08P01 about prepared statements</td>
 *       <td>{@link dev.holdfast.ConfigurationException} with a hint saying what to change</td></tr>
 *   <tr><td>anything else with a SQLException</td><td>{@link HoldfastException}, not retried</td></tr>
 * </table>
 *
 * <p>A failure without a {@link java.sql.SQLException} in its chain is not recognised (empty). Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * Guard guard = Guard.builder("orders-db").classifier(new SqlStateClassifier()).build();
 * Order order = guard.call(Call.read("orders.find"), ctx -> ordersDao.find(id));
 * }</pre>
 */
public final class SqlStateClassifier implements ErrorClassifier {
  /** A classifier; instances are interchangeable. */
  public SqlStateClassifier() {}

  @Override
  public Optional<HoldfastException> classify(Throwable failure, String backend) {
    if (failure == null) {
      return Optional.empty();
    }
    try {
      return SqlFailures.classify(failure, backend == null ? "jdbc" : backend, SqlFailures.Phase.UNKNOWN);
    } catch (RuntimeException e) {
      // A classifier must not throw; an unexpected shape of exception is simply not recognised.
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "SqlStateClassifier";
  }
}
