/**
 * holdfast's PostgreSQL backend over JDBC, safe behind PgBouncer and Supabase's pooler in transaction mode.
 *
 * <ul>
 *   <li>{@link dev.holdfast.jdbc.JdbcBackend}: the {@link dev.holdfast.spi.Backend}, from a connection string
 *       (holdfast builds a HikariCP pool with server-side prepared statements off) or from your DataSource;</li>
 *   <li>{@link dev.holdfast.jdbc.JdbcTransactions}: units of work in a transaction, retried as a whole where that
 *       is safe;</li>
 *   <li>{@link dev.holdfast.jdbc.SqlStateClassifier}: SQLSTATE-aware classification, also for your own DAOs run
 *       through a {@link dev.holdfast.Guard};</li>
 *   <li>{@link dev.holdfast.jdbc.ConnectionString}, {@link dev.holdfast.jdbc.ConnectionDoctor} and
 *       {@link dev.holdfast.jdbc.PoolerSafetyCheck}: parse, check and explain connections.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(System.getenv("DATABASE_URL"))).build()) {
 *   Repository<Task, Long> tasks = db.repository(TASKS);
 *   List<Task> open = tasks.find(Query.where(Filter.eq("done", false)).orderBy(Order.asc("id")).limit(50));
 * }
 * }</pre>
 */
package dev.holdfast.jdbc;
