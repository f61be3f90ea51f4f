package dev.holdfast.internal;

import dev.holdfast.GuardEvent;
import dev.holdfast.GuardListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link GuardEvent} to a guard's listeners in order, on the calling thread. A listener that throws is
 * logged and skipped: observing a call must never change its outcome. {@link #active()} says whether anyone would
 * hear a call event, so that callers build none when nobody listens. Immutable and thread-safe.
 */
public final class EventDispatcher implements Consumer<GuardEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final GuardListener[] listeners;
  private final LoggingListener[] loggers;
  private final boolean others;

  /** Dispatches to {@code listeners}, in order. */
  public EventDispatcher(List<GuardListener> listeners) {
    this.listeners = listeners.toArray(new GuardListener[0]);
    List<LoggingListener> logging = new ArrayList<>();
    boolean any = false;
    for (GuardListener l : this.listeners) {
      if (l instanceof LoggingListener log) {
        logging.add(log);
      } else {
        any = true;
      }
    }
    this.loggers = logging.toArray(new LoggingListener[0]);
    this.others = any;
  }

  /** Whether a call event would reach anyone: a listener other than logging, or logging at DEBUG. */
  public boolean active() {
    if (others) {
      return true;
    }
    for (LoggingListener log : loggers) {
      if (log.wantsCallEvents()) {
        return true;
      }
    }
    return false;
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

  /** The listeners' scopes for an attempt, opened in order and closed in reverse order. */
  public GuardListener.Scope attemptScope(GuardEvent.AttemptStarted started) {
    GuardListener.Scope only = null;
    List<GuardListener.Scope> many = null;
    for (GuardListener listener : listeners) {
      GuardListener.Scope scope;
      try {
        scope = listener.attemptScope(started);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn("guard listener {} threw opening an attempt scope; ignoring it", listener.getClass().getName(), e);
        continue;
      }
      if (scope == null || scope == GuardListener.Scope.NONE) {
        continue;
      }
      if (only == null) {
        only = scope;
      } else {
        if (many == null) {
          many = new ArrayList<>();
          many.add(only);
        }
        many.add(scope);
      }
    }
    if (many == null) {
      return only == null ? GuardListener.Scope.NONE : guarded(only);
    }
    List<GuardListener.Scope> all = many;
    return () -> {
      for (int i = all.size() - 1; i >= 0; i--) {
        guarded(all.get(i)).close();
      }
    };
  }

  private static GuardListener.Scope guarded(GuardListener.Scope scope) {
    return () -> {
      try {
        scope.close();
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn("an attempt scope threw on close; ignoring it", e);
      }
    };
  }
}
