package dev.holdfast;

import java.time.Duration;

/** A scheduler that forwards everything to another; tests override what they need. */
class ForwardingScheduler implements Scheduler {
  private final Scheduler delegate;

  ForwardingScheduler(Scheduler delegate) {
    this.delegate = delegate;
  }

  @Override
  public long nanoTime() {
    return delegate.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return delegate.schedule(delay, task);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    delegate.sleep(duration);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
