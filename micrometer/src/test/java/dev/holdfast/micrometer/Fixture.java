package dev.holdfast.micrometer;

import dev.holdfast.ErrorDetails;
import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import dev.holdfast.ManualScheduler;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import dev.holdfast.testkit.InMemoryBackend;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.contract.ContractSchema;

/** A real Holdfast over the testkit's in-memory backend, on a manual clock, with faults injected by the backend. */
final class Fixture implements AutoCloseable {
  final ManualScheduler time = new ManualScheduler();
  final InMemoryBackend backend;
  final Holdfast holdfast;

  Fixture(ResiliencePolicy policy, ResiliencePolicy safePolicy, GuardListener listener) {
    InMemoryDatabase db = new InMemoryDatabase();
    ContractSchema.createIn(db);
    backend = new InMemoryBackend(db);
    holdfast = Holdfast.builder(backend).scheduler(time).policy(policy).safePolicy(safePolicy).listener(listener)
        .build();
  }

  /** A connection reset after the request was sent (SQLSTATE 08006): retried. */
  static TransientException reset() {
    return new TransientException("connection reset", ErrorDetails.of("memory").withCode("08006"), null, true, null);
  }

  void failNext(int n) {
    backend.failNext(n, Fixture::reset);
  }

  @Override
  public void close() {
    holdfast.close();
  }
}
