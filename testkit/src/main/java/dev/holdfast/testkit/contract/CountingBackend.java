package dev.holdfast.testkit.contract;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.ForwardingBackend;
import java.util.concurrent.atomic.AtomicLong;

/** Delegates to the backend under test and counts data calls, to prove that bad input sends nothing. */
final class CountingBackend extends ForwardingBackend {
  private final AtomicLong calls = new AtomicLong();

  CountingBackend(Backend delegate) {
    super(delegate);
  }

  long calls() {
    return calls.get();
  }

  @Override
  protected void beforeCall(String operation) {
    calls.incrementAndGet();
  }
}
