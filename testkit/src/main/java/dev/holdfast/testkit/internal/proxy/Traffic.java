package dev.holdfast.testkit.internal.proxy;

import dev.holdfast.testkit.FaultProxy.Direction;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a proxy's connections and forwarded bytes. Thread-safe; reads are not an atomic snapshot. */
public final class Traffic {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder upstream = new LongAdder();
  private final LongAdder downstream = new LongAdder();

  /** Connections accepted so far, refused ones included. */
  public long accepted() {
    return accepted.sum();
  }

  /**
   * Bytes forwarded so far travelling {@code way}; {@link Direction#BOTH} sums both directions.
   */
  public long bytes(Direction way) {
    switch (way) {
      case UPSTREAM:
        return upstream.sum();
      case DOWNSTREAM:
        return downstream.sum();
      default:
        return upstream.sum() + downstream.sum();
    }
  }

  void recordAccepted() {
    accepted.increment();
  }

  void recordForwarded(Direction way, long bytes) {
    (way == Direction.UPSTREAM ? upstream : downstream).add(bytes);
  }
}
