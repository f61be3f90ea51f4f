package dev.holdfast.internal;

import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link GuardEvent} to a guard's listeners in order, on the calling thread. A listener that throws is
 * logged and skipped: observing a call must never change its outcome. Immutable and thread-safe.
 */
public final class EventDispatcher implements Consumer<GuardEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final GuardListener[] listeners;

  /** Dispatches to {@code listeners}, in order. */
  public EventDispatcher(List<GuardListener> listeners) {
    this.listeners = listeners.toArray(new GuardListener[0]);
  }

  @Override
  public void accept(GuardEvent event) {
    for (GuardListener listener : listeners) {
      try {
        listener.on(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn("guard listener {} threw on {}; ignoring it", listener.getClass().getName(),
            event.getClass().getSimpleName(), e);
      }
    }
  }
}
