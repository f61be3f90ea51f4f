package dev.holdfast.internal;

/**
 * Rethrows any {@link Throwable} unchanged, checked ones included, without declaring it: the guard lets a failure
 * that no classifier recognises reach the caller exactly as the attempt threw it, so that a DAO proxy can rethrow
 * the checked exception its interface declares. Javac's inference of {@code T} as {@link RuntimeException} is what
 * makes this compile; at run time generics are erased and the original object is thrown.
 */
public final class Sneaky {
  private Sneaky() {}

  /**
   * Throws {@code t}. Declared to return an exception so that callers can write {@code throw Sneaky.rethrow(t)}
   * and keep the compiler's flow analysis.
   */
  public static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>doThrow(t);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T doThrow(Throwable t) throws T {
    throw (T) t;
  }
}
