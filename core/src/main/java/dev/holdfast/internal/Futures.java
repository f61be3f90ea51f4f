package dev.holdfast.internal;

import dev.holdfast.HoldfastException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/** Helpers for futures and wrapped exceptions. Internal. */
public final class Futures {
  private Futures() {}

  /** The exception that was really thrown: strips the wrappers that futures add. */
  public static Throwable unwrap(Throwable t) {
    Throwable current = t;
    for (int i = 0; i < 16 && current.getCause() != null && isWrapper(current); i++) {
      current = current.getCause();
    }
    return current;
  }

  private static boolean isWrapper(Throwable t) {
    return t instanceof CompletionException || t instanceof ExecutionException;
  }

  /** Rethrows {@code t} without declaring it: for code that has already decided the checked type is allowed. */
  @SuppressWarnings("unchecked")
  public static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * Maps {@code guarded} on {@code executor}: its value, or its {@link HoldfastException} (the other argument is
   * then null), becomes the result; any other failure fails the returned future unchanged. Running the mapping on
   * the executor keeps callers' dependent stages off their own thread even when {@code guarded} is already done.
   */
  public static <V, R> CompletableFuture<R> settle(
      CompletableFuture<V> guarded, BiFunction<V, HoldfastException, R> toResult, Executor executor) {
    return guarded.handleAsync((value, thrown) -> {
      if (thrown == null) {
        return toResult.apply(value, null);
      }
      Throwable cause = unwrap(thrown);
      if (cause instanceof HoldfastException e) {
        return toResult.apply(null, e);
      }
      throw Futures.<RuntimeException>sneakyThrow(cause);
    }, executor);
  }
}
