package dev.holdfast.jdbc.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A failure to open a connection, whose message is one line that says what happened and where: the server's own
 * message or the socket error, and the address ({@code Connection refused: 127.0.0.1:5999},
 * {@code FATAL: password authentication failed for user "app" (127.0.0.1:5432)}). The driver's exception is the
 * cause. Internal.
 */
public final class ConnectFailure extends SQLException {
  private static final long serialVersionUID = 1L;
  private static final String GENERIC = "The connection attempt failed.";

  private ConnectFailure(String headline, String state, Throwable cause) {
    super(headline, state, cause);
  }

  /** {@code failure}, which happened while connecting to {@code address}, with its headline. */
  public static ConnectFailure of(Throwable failure, String address) {
    if (failure instanceof ConnectFailure c) {
      return c;
    }
    String state = failure instanceof SQLException s ? s.getSQLState() : "08001";
    return new ConnectFailure(headline(failure, address), state, failure);
  }

  /**
   * One line for a failure to connect: the socket error and the address, or the server's first line and the
   * address. {@code address} may be null, when only the driver's message says where.
   */
  public static String headline(Throwable failure, String address) {
    String where = address == null ? "" : address;
    Throwable root = rootCause(failure);
    String server = SqlFailures.firstLine(firstSqlMessage(failure));
    String lower = server.toLowerCase(Locale.ROOT);
    if (root instanceof UnknownHostException) {
      return "Unknown host: " + (where.isEmpty() ? String.valueOf(root.getMessage()) : where);
    }
    if (root instanceof ConnectException || lower.contains(" refused. check that")) {
      return "Connection refused" + (where.isEmpty() ? refusedAt(server) : ": " + where);
    }
    if (root instanceof NoRouteToHostException || root instanceof SocketTimeoutException
        || (root != null && String.valueOf(root.getMessage()).contains("unreachable"))
        || (server.equals(GENERIC) && root != null && root.getMessage() != null)) {
      return capitalize(root.getMessage()) + (where.isEmpty() ? "" : ": " + where);
    }
    if (lower.startsWith("connection attempt timed out")) {
      return "Connection attempt timed out" + (where.isEmpty() ? "" : ": " + where);
    }
    return server + (where.isEmpty() ? "" : " (" + where + ")");
  }

  private static String refusedAt(String server) {
    int to = server.indexOf("Connection to ");
    int refused = server.indexOf(" refused");
    return to >= 0 && refused > to ? ": " + server.substring(to + "Connection to ".length(), refused) : "";
  }

  private static String firstSqlMessage(Throwable failure) {
    for (SQLException e : SqlFailures.sqlExceptions(failure)) {
      if (e.getMessage() != null && !SqlFailures.isPoolTimeout(e)) {
        return e.getMessage();
      }
    }
    return failure.getMessage();
  }

  /**
   * The socket's error: the innermost cause below the driver's exception that is not an SQLException, or, when
   * there is no SQLException at all, the innermost cause; null when there is none.
   */
  private static Throwable rootCause(Throwable failure) {
    Throwable found = null;
    boolean belowDriver = false;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof SQLException) {
        if (!belowDriver) {
          found = null;
        }
        belowDriver = true;
      } else {
        found = t;
      }
    }
    return found;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
