package dev.holdfast.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.postgresql.jdbc.PgStatement;

/**
 * Hand-written pgjdbc for the operations holdfast's repository does: what an application would write without
 * holdfast. Autocommit, one statement per operation, rows read into {@link Item}s. Thread-safe.
 */
final class RawJdbc {
  private static final Executor DIRECT = Runnable::run;
  private final DataSource ds;

  RawJdbc(DataSource ds) {
    this.ds = ds;
  }

  Item findById(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, name, qty FROM bench_items WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  Item insert(Item item) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO bench_items (name, qty) VALUES (?, ?) RETURNING id, name, qty")) {
      ps.setString(1, item.name());
      ps.setInt(2, item.qty());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return read(rs);
      }
    }
  }

  /**
   * {@link #findById} with the per-call bounds holdfast applies: a statement timeout (pgjdbc arms a timer task per
   * execution to cancel it) and a socket timeout set on the connection and restored afterwards.
   */
  Item findByIdWithTimeouts(long id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      int old = c.getNetworkTimeout();
      c.setNetworkTimeout(DIRECT, 6_000);
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, qty FROM bench_items WHERE id = ?")) {
        ps.unwrap(PgStatement.class).setQueryTimeoutMs(5_000);
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? read(rs) : null;
        }
      } finally {
        c.setNetworkTimeout(DIRECT, old);
      }
    }
  }

  /** {@link #insert} in an explicit transaction, as holdfast runs writes: BEGIN with the INSERT, then COMMIT. */
  Item insertInTransaction(Item item) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO bench_items (name, qty) VALUES (?, ?) RETURNING id, name, qty")) {
        ps.setString(1, item.name());
        ps.setInt(2, item.qty());
        Item stored;
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          stored = read(rs);
        }
        c.commit();
        return stored;
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  Item updateQty(long id, int qty) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE bench_items SET qty = ? WHERE id = ? RETURNING id, name, qty")) {
      ps.setInt(1, qty);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  /** One page: the first 100 rows with {@code qty} above {@code min}, by id. */
  List<Item> find100(int min) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, name, qty FROM bench_items WHERE qty > ? ORDER BY id LIMIT 100")) {
      ps.setInt(1, min);
      try (ResultSet rs = ps.executeQuery()) {
        List<Item> out = new ArrayList<>(100);
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    }
  }

  /** An insert of a row that carries its own id, in autocommit. */
  Tagged insertTagged(Tagged row) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO bench_tagged (id, name, qty) VALUES (?, ?, ?) RETURNING id, name, qty")) {
      ps.setObject(1, row.id());
      ps.setString(2, row.name());
      ps.setInt(3, row.qty());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Tagged(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3));
      }
    }
  }

  /** An upsert by primary key, in autocommit. */
  Item upsert(Item item) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO bench_items (id, name, qty) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            + "name = EXCLUDED.name, qty = EXCLUDED.qty RETURNING id, name, qty")) {
      ps.setLong(1, item.id());
      ps.setString(2, item.name());
      ps.setInt(3, item.qty());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return read(rs);
      }
    }
  }

  /** A delete by id, in autocommit; whether a row was deleted. */
  boolean deleteById(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM bench_doomed WHERE id = ?")) {
      ps.setLong(1, id);
      return ps.executeUpdate() == 1;
    }
  }

  /** Two updates in one transaction: BEGIN with the first, the second, then COMMIT. */
  void twoUpdatesInTransaction(long a, long b, int qty) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (long id : new long[] {a, b}) {
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE bench_items SET qty = ? WHERE id = ? RETURNING id, name, qty")) {
            ps.setInt(1, qty);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
            }
          }
        }
        c.commit();
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  /** {@link #findById} with only a statement timeout (pgjdbc arms a timer task per execution). */
  Item findByIdWithStatementTimeout(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, name, qty FROM bench_items WHERE id = ?")) {
      ps.unwrap(PgStatement.class).setQueryTimeoutMs(5_000);
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  /** {@link #findById} with only a socket timeout set on the connection and restored afterwards. */
  Item findByIdWithSocketTimeout(long id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      int old = c.getNetworkTimeout();
      c.setNetworkTimeout(DIRECT, 6_000);
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, qty FROM bench_items WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? read(rs) : null;
        }
      } finally {
        c.setNetworkTimeout(DIRECT, old);
      }
    }
  }

  private static Item read(ResultSet rs) throws SQLException {
    return new Item(rs.getLong(1), rs.getString(2), rs.getInt(3));
  }
}
