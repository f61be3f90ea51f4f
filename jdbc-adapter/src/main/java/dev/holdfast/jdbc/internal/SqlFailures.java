package dev.holdfast.jdbc.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ConflictException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.TransientException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns what pgjdbc and HikariCP throw into holdfast's taxonomy, by SQLSTATE first and message second. Internal;
 * stateless and thread-safe.
 *
 * <p>The {@link Phase} says where the failure happened, which decides whether a lost connection means "nothing
 * was sent", "nothing was applied" or "unknown outcome".
 */
public final class SqlFailures {
  /** Where in a unit of work a failure happened. */
  public enum Phase {
    /** While taking a connection: nothing reached the server. */
    CONNECT,
    /** Inside an explicit transaction before COMMIT was sent: the server rolls everything back. */
    BEFORE_COMMIT,
    /** While COMMIT was in flight: a lost connection leaves the outcome unknown. */
    COMMIT,
    /** Anywhere else, such as a user's own DAO in autocommit mode. */
    UNKNOWN
  }

  /** SQLSTATE 25006: a write in a read-only transaction. */
  public static final String READ_ONLY_TRANSACTION = "25006";

  private SqlFailures() {}

  /**
   * Whether {@code failure} says that the server behind a connection has stopped being what the pool connected
   * to: read-only now (25006), shut down by its administrator or by Patroni (57P01, 57P02), starting up or in
   * recovery (57P03), or none of the hosts is a primary. Every other connection to it is as stale, so the pool's
   * connections are replaced rather than found one failed call at a time.
   */
  public static boolean serverChangedRole(Throwable failure) {
    List<SQLException> chain = sqlExceptions(failure);
    for (SQLException e : chain) {
      String state = e.getSQLState();
      if (READ_ONLY_TRANSACTION.equals(state) || "57P01".equals(state) || "57P02".equals(state)
          || "57P03".equals(state)) {
        return true;
      }
    }
    return !chain.isEmpty() && messages(failure).toLowerCase(Locale.ROOT)
        .contains("could not find a server with specified targetservertype");
  }

  /**
   * Classifies {@code failure} thrown in {@code phase} by a statement of unknown origin (a user's DAO); empty when
   * it holds no JDBC failure.
   */
  public static Optional<HoldfastException> classify(Throwable failure, String backend, Phase phase) {
    return classify(failure, backend, phase, false, null);
  }

  /**
   * Classifies {@code failure} thrown in {@code phase}; empty when it holds no JDBC failure.
   *
   * @param oneShot whether the failing statement was holdfast's own, never named on the server
   * @param address {@code host:port} when the caller knows where it connected, or null
   */
  public static Optional<HoldfastException> classify(Throwable failure, String backend, Phase phase,
      boolean oneShot, String address) {
    List<SQLException> chain = sqlExceptions(failure);
    if (chain.isEmpty()) {
      return Optional.empty();
    }
    String state = chain.stream().map(SQLException::getSQLState).filter(s -> s != null && !s.isBlank())
        .findFirst().orElse("");
    String text = messages(failure);
    String lower = text.toLowerCase(Locale.ROOT);
    ErrorDetails details = ErrorDetails.of(backend).withCode(state.isEmpty() ? null : state);
    String reason = firstLine(headlineSource(chain).getMessage());
    boolean connecting = phase == Phase.CONNECT || lower.contains("connection attempt failed")
        || chain.stream().anyMatch(e -> e instanceof SQLTransientConnectionException);

    // Login, TLS, pooler and network failures the rule table knows (ConnectionRules): the configuration ones
    // fail again on every attempt, the transient ones happened before anything was sent. The hint is the
    // doctor's advice, word for word.
    Optional<ConnectionRules.FailureMatch> known = ConnectionRules.match(FailureFacts.of(failure, state, address));
    if (known.isPresent()) {
      ConnectionRules.FailureMatch m = known.get();
      String headline = chain.get(0) instanceof ConnectFailure || headlineSource(chain) instanceof ConnectFailure
          ? reason : ConnectFailure.headline(failure, address);
      ErrorDetails hinted = details.withHint(m.fix());
      return Optional.of(m.rule().outcome() == Rule.Outcome.TRANSIENT
          ? new TransientException(headline, hinted, failure, false, null)
          : new ConfigurationException(headline, hinted, failure));
    }
    // Server-side prepared statements through a transaction-mode pooler: statements land on other backends.
    Optional<HoldfastException> pooler = PoolerFailures.classify(state, lower, reason, details, failure, oneShot);
    if (pooler.isPresent()) {
      return pooler;
    }
    // Connection lost or refused, server starting or shutting down, too many clients, resources, I/O.
    if (isConnectionFailure(state, chain, failure)) {
      boolean notSent = connecting || state.equals("08001") || state.equals("08004") || state.equals("57P03")
          || state.equals("53300");
      if (notSent || phase == Phase.CONNECT) {
        return Optional.of(new TransientException(reason, details.withHint("The database could not be reached; "
            + "nothing was sent."), failure, false, null));
      }
      if (phase == Phase.COMMIT) {
        // Sent, and perhaps committed: the guard retries an idempotent write and ends any other write in
        // UnknownOutcomeException, because only it knows the call's effect.
        return Optional.of(new TransientException("The connection was lost while COMMIT was in flight: the "
            + "transaction may or may not have committed (" + reason + ")",
            details.withHint("Read back to find out, or make the write idempotent (an upsert)."), failure, true,
            null));
      }
      return Optional.of(new TransientException(reason, details, failure, phase != Phase.BEFORE_COMMIT, null));
    }
    // A write on a server that is read-only: a primary demoted by a switchover or failover, or a connection that
    // reached a replica. The server refused the statement before changing anything, so even an insert may run
    // again, on a connection to the new primary.
    if (state.equals(READ_ONLY_TRANSACTION)) {
      return Optional.of(new TransientException(reason, details.withHint("The server is read-only (a replica, or "
          + "a primary demoted by a switchover): nothing was applied; holdfast retries on the new primary."),
          failure, false, null));
    }
    // Serialization failure, deadlock, lock not available: the server rolled the transaction back.
    if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
      return Optional.of(new TransientException(reason, details.withHint("The transaction was rolled back; "
          + "running it again may succeed."), failure, false, null));
    }
    // Statement timeout or cancel: the statement was rolled back, but a write's COMMIT may race the cancel.
    if (state.equals("57014")) {
      return Optional.of(new TransientException(reason, details.withHint("The statement ran past its timeout."),
          failure, phase != Phase.BEFORE_COMMIT, null));
    }
    // Constraint violations: the same write fails the same way again.
    if (state.startsWith("23")) {
      String constraint = constraint(chain);
      String hint = state.equals("23505") ? "A row with this key already exists: use an upsert or another key."
          : "The row violates a constraint" + (constraint == null ? "." : " (" + constraint + ").");
      return Optional.of(new ConflictException(reason, details.withHint(hint), constraint, failure));
    }
    // A table, column, schema or function the statement names does not exist: a migration is missing.
    if (state.equals("42P01") || state.equals("42703") || state.equals("3F000") || state.equals("42883")) {
      return Optional.of(new SchemaMismatchException(reason,
          details.withHint("Check that the table and columns exist (has the migration run?)."), failure));
    }
    // Missing privileges are fixed with GRANT, not by retrying.
    if (state.equals("42501")) {
      return Optional.of(new ConfigurationException(reason,
          details.withHint("Grant the connecting role the privileges it needs, or connect as another role."),
          failure));
    }
    // Bad values (22xxx), bad statements (42xxx), NUL bytes: the request is wrong.
    if (state.startsWith("22") || state.startsWith("42") || state.equals("2F003")) {
      return Optional.of(new InvalidRequestException(reason, details, failure));
    }
    // Anything else (XX000 internal errors, unknown states): typed, but not retried.
    return Optional.of(new HoldfastException(reason, details, failure));
  }

  /**
   * Whether {@code failure}, thrown by one of holdfast's own statements, leaves its connection's session state
   * untrustworthy (see {@link PoolerFailures}), so that the connection must not go back to the pool.
   */
  public static boolean poisonsConnection(Throwable failure) {
    List<SQLException> chain = sqlExceptions(failure);
    if (chain.isEmpty()) {
      return false;
    }
    String state = chain.stream().map(SQLException::getSQLState).filter(s -> s != null && !s.isBlank())
        .findFirst().orElse("");
    return PoolerFailures.poisons(state, messages(failure).toLowerCase(Locale.ROOT));
  }

  private static boolean isConnectionFailure(String state, List<SQLException> chain, Throwable failure) {
    if (state.startsWith("08") || state.startsWith("53") || state.startsWith("58")) {
      return true;
    }
    if (state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
      return true;
    }
    boolean stateless = state.isEmpty();
    for (SQLException e : chain) {
      if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException) {
        return true;
      }
      // HikariCP 7 says "Connection is closed" without a SQLSTATE once it has marked a connection broken.
      String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      if (stateless && (m.contains("connection is closed") || m.contains("connection has been closed"))) {
        return true;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException && stateless) {
        return true;
      }
    }
    return false;
  }

  private static String constraint(List<SQLException> chain) {
    for (SQLException e : chain) {
      if (e instanceof PSQLException p) {
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m != null && m.getConstraint() != null) {
          return m.getConstraint();
        }
      }
    }
    return null;
  }

  /** Every SQLException in the cause chain and each one's next-exception chain, outermost first. */
  static List<SQLException> sqlExceptions(Throwable failure) {
    List<SQLException> out = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        out.add(sql);
        for (SQLException next = sql.getNextException(); next != null && seen.put(next, true) == null;
            next = next.getNextException()) {
          out.add(next);
          for (Throwable c = next.getCause(); c instanceof SQLException cs && seen.put(c, true) == null;
              c = c.getCause()) {
            out.add(cs);
          }
        }
      }
    }
    return out;
  }

  private static String messages(Throwable failure) {
    StringBuilder out = new StringBuilder();
    for (SQLException e : sqlExceptions(failure)) {
      out.append(e.getMessage()).append('\n');
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      out.append(t.getMessage()).append('\n');
    }
    return out.toString();
  }

  /** HikariCP's "Connection is not available, request timed out" when a pooled connection did not come. */
  static boolean isPoolTimeout(SQLException e) {
    return e instanceof SQLTransientConnectionException && e.getMessage() != null
        && e.getMessage().contains("Connection is not available, request timed out");
  }

  /** The exception whose first line says what happened: past HikariCP's timeout to the failure it carries. */
  private static SQLException headlineSource(List<SQLException> chain) {
    for (SQLException e : chain) {
      if (!isPoolTimeout(e)) {
        return e;
      }
    }
    return chain.get(0);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "database error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
