package dev.holdfast;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One call of {@link Guard#callAsync}: attempts run as tasks on the guard's {@link Scheduler}, and every wait is a
 * timer on it, so no thread ever blocks to wait. Three timers race with the attempts: the call's deadline, the
 * running attempt's timeout, and the pending retry. Each attempt has a {@link Slot} that lets exactly one of "the
 * attempt finished" and "the attempt ran out of time" settle it; the call's own steps are serialised on this
 * object's monitor. Thread-safe.
 */
final class AsyncCall<T> {
  private final Guard guard;
  private final CallRun run;
  private final Attempt<T> attempt;
  private final Scheduler scheduler;
  private final CompletableFuture<T> future = new CompletableFuture<>();
  // Guarded by this.
  private boolean finished;
  private Slot current;
  private Scheduler.Cancellable deadlineTimer;
  private Scheduler.Cancellable retryTimer;

  AsyncCall(Guard guard, CallRun run, Attempt<T> attempt) {
    this.guard = guard;
    this.run = run;
    this.attempt = attempt;
    this.scheduler = guard.scheduler();
  }

  /** Starts the call: arms the deadline and dispatches the first attempt. */
  CompletableFuture<T> start() {
    future.whenComplete((result, error) -> stop());
    try {
      Scheduler.Cancellable timer = scheduler.schedule(run.policy().deadline(), this::deadlinePassed);
      synchronized (this) {
        deadlineTimer = timer;
      }
      dispatch();
    } catch (RejectedExecutionException e) {
      closed(e);
    }
    return future;
  }

  /** Admits and schedules the next attempt, with its timeout timer. */
  private void dispatch() {
    Slot slot;
    HoldfastException rejected;
    synchronized (this) {
      if (finished) {
        return;
      }
      retryTimer = null;
      rejected = run.admit(false);
      if (rejected == null) {
        slot = new Slot(run.nextAttempt(scheduler.nanoTime()), run.startedEvent(), guard.bulkhead() != null);
        current = slot;
      } else {
        finished = true;
        slot = null;
      }
    }
    if (rejected != null) {
      future.completeExceptionally(rejected);
      return;
    }
    try {
      slot.timer = scheduler.schedule(slot.context.timeout(), () -> timedOut(slot));
      scheduler.schedule(Duration.ZERO, () -> runAttempt(slot));
    } catch (RejectedExecutionException e) {
      if (slot.start()) {
        slot.finish();
        release(slot);
      }
      closed(e);
    }
  }

  /** The scheduler refused a task: the guard was closed under the call. */
  private void closed(RejectedExecutionException e) {
    IllegalStateException error = new IllegalStateException("the guard of " + guard.backend() + " is closed", e);
    synchronized (this) {
      finished = true;
      run.abandoned(error);
    }
    future.completeExceptionally(error);
  }

  private void runAttempt(Slot slot) {
    if (!slot.start()) {
      // It ran out of time (or the call ended) before a worker picked it up.
      release(slot);
      return;
    }
    T result = null;
    Throwable failure = null;
    GuardListener.Scope scope = slot.started == null ? GuardListener.Scope.NONE
        : guard.events().attemptScope(slot.started);
    try {
      result = attempt.run(slot.context);
    } catch (Throwable t) {
      failure = t;
    } finally {
      scope.close();
    }
    boolean settles = slot.finish();
    release(slot);
    if (settles) {
      Scheduler.Cancellable timer = slot.timer;
      if (timer != null) {
        timer.cancel();
      }
      settle(slot, result, failure);
    }
  }

  private void timedOut(Slot slot) {
    if (slot.timeOut()) {
      settle(slot, null, run.attemptTimedOut(slot.context));
    }
  }

  /** The attempt's outcome, once: complete the call, or schedule the retry Failsafe asks for. */
  private void settle(Slot slot, T result, Throwable failure) {
    Duration delay = null;
    Throwable error = null;
    boolean succeeded = false;
    synchronized (this) {
      if (current == slot) {
        current = null;
      }
      if (finished) {
        // The caller cancelled meanwhile: the outcome still tells the breaker and the budget about the backend.
        if (failure == null) {
          run.succeeded();
        } else {
          run.note(failure, scheduler.nanoTime());
        }
        return;
      }
      if (failure == null) {
        run.succeeded();
        finished = succeeded = true;
      } else {
        delay = run.failed(failure, scheduler.nanoTime());
        if (delay == null) {
          error = run.outcome();
          finished = true;
        }
      }
    }
    if (succeeded) {
      future.complete(result);
    } else if (error != null) {
      future.completeExceptionally(error);
    } else {
      Scheduler.Cancellable timer;
      try {
        timer = scheduler.schedule(delay, this::dispatch);
      } catch (RejectedExecutionException e) {
        closed(e);
        return;
      }
      synchronized (this) {
        if (finished) {
          timer.cancel();
        } else if (retryTimer == null && current == null) {
          retryTimer = timer;
        }
      }
    }
  }

  private void deadlinePassed() {
    HoldfastException error;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      Slot slot = current;
      Throwable inFlight = null;
      if (slot != null && slot.timeOut()) {
        inFlight = run.attemptTimedOut(slot.context);
        Scheduler.Cancellable timer = slot.timer;
        if (timer != null) {
          timer.cancel();
        }
      }
      error = run.deadlinePassed(inFlight);
    }
    future.completeExceptionally(error);
  }

  /** The future completed (or was cancelled by the caller): disarm the timers and interrupt a running attempt. */
  private void stop() {
    Scheduler.Cancellable deadline;
    Scheduler.Cancellable retry;
    Slot slot;
    synchronized (this) {
      finished = true;
      if (future.isCancelled()) {
        run.cancelled();
      }
      deadline = deadlineTimer;
      retry = retryTimer;
      slot = current;
      deadlineTimer = retryTimer = null;
    }
    if (deadline != null) {
      deadline.cancel();
    }
    if (retry != null) {
      retry.cancel();
    }
    if (slot != null && future.isCancelled()) {
      slot.interrupt();
    }
  }

  private void release(Slot slot) {
    if (slot.holdsPermit) {
      guard.bulkhead().release();
    }
  }

  /**
   * One attempt: started, finished or timed out, exactly once. Interrupts its worker when it times out and
   * clears that interrupt when the worker comes back, so a pooled thread is not left interrupted.
   */
  private static final class Slot {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int TIMED_OUT = 3;

    final CallContext context;
    /** The AttemptStarted event, for the listeners' scope on the attempt's thread; null when nobody listens. */
    final GuardEvent.AttemptStarted started;
    final boolean holdsPermit;
    volatile Scheduler.Cancellable timer;
    private int state = NEW;
    private Thread runner;
    private boolean interrupted;

    Slot(CallContext context, GuardEvent.AttemptStarted started, boolean holdsPermit) {
      this.context = context;
      this.started = started;
      this.holdsPermit = holdsPermit;
    }

    synchronized boolean start() {
      if (state != NEW) {
        return false;
      }
      state = RUNNING;
      runner = Thread.currentThread();
      return true;
    }

    /** The attempt returned; true unless it had already timed out. */
    synchronized boolean finish() {
      runner = null;
      if (interrupted) {
        Thread.interrupted();
      }
      if (state == TIMED_OUT) {
        return false;
      }
      state = DONE;
      return true;
    }

    /** The attempt ran out of time; true unless it had already finished. */
    synchronized boolean timeOut() {
      if (state == DONE || state == TIMED_OUT) {
        return false;
      }
      interrupt();
      state = TIMED_OUT;
      return true;
    }

    synchronized void interrupt() {
      if (state == RUNNING && runner != null && runner != Thread.currentThread()) {
        interrupted = true;
        runner.interrupt();
      }
    }
  }
}
