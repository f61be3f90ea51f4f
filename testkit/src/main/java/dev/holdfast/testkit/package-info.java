/**
 * Testing support for holdfast: {@link dev.holdfast.testkit.InMemoryBackend}, a backend over an
 * {@link dev.holdfast.testkit.InMemoryDatabase} with PostgreSQL's semantics where holdfast relies on them (for
 * users' fast tests, with scripted faults for retry and safe-call tests), in
 * {@link dev.holdfast.testkit.contract} the contract suite every backend passes,
 * {@link dev.holdfast.testkit.MockPostgrest} (a PostgREST look-alike over HTTP with scripted faults and a request
 * journal), {@link dev.holdfast.testkit.FaultProxy} (TCP faults in front of a real server), and JUnit 5 extensions
 * for MockPostgrest ({@link dev.holdfast.testkit.MockPostgrestExtension}), embedded PostgreSQL
 * ({@link dev.holdfast.testkit.EmbeddedPostgresExtension}), a real PgBouncer in transaction mode
 * ({@link dev.holdfast.testkit.PgBouncerExtension}), and a real Patroni cluster with a primary, two replicas and
 * HAProxy for failover tests ({@link dev.holdfast.testkit.PostgresCluster},
 * {@link dev.holdfast.testkit.PostgresClusterExtension}).
 *
 * <pre>{@code
 * InMemoryDatabase db = new InMemoryDatabase();
 * db.createTable(TableSpec.builder("public", "tasks").columns("title", "done").build());
 * InMemoryBackend backend = new InMemoryBackend(db);
 * backend.failNext(2, () -> new TransientException("flaky", ErrorDetails.of("memory"), null));
 * try (Holdfast holdfast = Holdfast.builder(backend).build()) {
 *   // the first two calls fail with TransientException, later ones reach the database
 * }
 * }</pre>
 */
package dev.holdfast.testkit;
