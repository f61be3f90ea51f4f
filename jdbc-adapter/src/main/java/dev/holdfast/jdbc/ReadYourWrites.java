package dev.holdfast.jdbc;

/**
 * How far a write's visibility reaches when reads may go to replicas ({@link JdbcBackend.Builder#readReplicas}):
 * after a write commits, holdfast reads the primary's WAL position ({@code pg_current_wal_lsn()}, one statement on
 * the write's own connection right after COMMIT), and a later read in the same scope uses only a replica whose
 * replay position ({@code pg_last_wal_replay_lsn()}) has reached it, else the primary.
 *
 * <p>A write whose position could not be read (its connection failed right after COMMIT) sends the scope's reads
 * to the primary: until the thread's next write for {@link #THREAD}, for 10 s for {@link #BACKEND}.
 */
public enum ReadYourWrites {
  /** Reads go to any replica within {@link JdbcBackend.Builder#maxReplicaLag}; they may miss a write just made. */
  OFF,
  /**
   * A read sees every write that the same thread made through this backend before it, whichever replica it goes
   * to: the scope of a request handled on one thread. Calls made with {@code *Async} run on other threads, so
   * they are not in the caller's scope.
   */
  THREAD,
  /**
   * A read sees every write any thread made through this backend before the read began: one scope for the whole
   * process, at the price of sending more reads to the primary while replicas catch up.
   */
  BACKEND
}
