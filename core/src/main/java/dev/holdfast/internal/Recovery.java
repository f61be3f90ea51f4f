package dev.holdfast.internal;

import dev.holdfast.HoldfastException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** What a wrapped DAO method returns instead of throwing a data-access failure. Internal; immutable. */
interface Recovery {
  /** The result for a call with {@code args} that failed with {@code failure}. */
  Object recover(Object proxy, Object target, Object[] args, HoldfastException failure) throws Throwable;

  /** What is returned, for the log line. */
  String description();

  /** Always {@code value}, or a completed future of it. */
  static Recovery value(Object value, boolean async) {
    return new Recovery() {
      @Override
      public Object recover(Object proxy, Object target, Object[] args, HoldfastException failure) {
        return async ? CompletableFuture.completedFuture(value) : value;
      }

      @Override
      public String description() {
        return "an empty result";
      }
    };
  }

  /**
   * Calls {@code fallback} with the same arguments (and the failure, when it takes one more parameter): as a
   * default method of the proxy when it is one, else on the target.
   */
  static Recovery fallback(Method fallback) {
    return new Recovery() {
      @Override
      public Object recover(Object proxy, Object target, Object[] args, HoldfastException failure) throws Throwable {
        Object[] given = args == null ? new Object[0] : args;
        Object[] callArgs = given;
        if (fallback.getParameterCount() == given.length + 1) {
          callArgs = Arrays.copyOf(given, given.length + 1);
          callArgs[given.length] = failure;
        }
        if (fallback.isDefault()) {
          return DefaultMethods.invoke(proxy, fallback, callArgs);
        }
        try {
          return fallback.invoke(target, callArgs);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }

      @Override
      public String description() {
        return "the fallback " + MethodPlan.describe(fallback);
      }
    };
  }
}
