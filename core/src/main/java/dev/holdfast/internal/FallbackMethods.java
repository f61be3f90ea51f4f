package dev.holdfast.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/** Finds and checks the method a {@code @Fallback} names, when the DAO is wrapped. Internal. */
final class FallbackMethods {
  private FallbackMethods() {}

  /**
   * The fallback called {@code name} for {@code method}: on the interface first (a default method, or one the
   * target implements), then among the target's public methods.
   *
   * @throws IllegalArgumentException naming {@code method} when there is no such method or it cannot be called
   */
  static Method find(Class<?> type, Object target, Method method, String name) {
    Method found = match(type.getMethods(), method, name);
    if (found != null) {
      found.trySetAccessible();
    } else {
      found = match(target.getClass().getMethods(), method, name);
      if (found != null && !found.trySetAccessible() && !Modifier.isPublic(target.getClass().getModifiers())) {
        throw new IllegalArgumentException("@Fallback(\"" + name + "\") on " + MethodPlan.describe(method)
            + ": " + target.getClass().getName() + " is not public; declare the fallback on " + type.getSimpleName());
      }
    }
    if (found == null) {
      String params = String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList());
      throw new IllegalArgumentException("@Fallback(\"" + name + "\") on " + MethodPlan.describe(method)
          + ": no method " + name + "(" + params + ") or " + name + "(" + params + (params.isEmpty() ? "" : ", ")
          + "HoldfastException) returning " + method.getReturnType().getSimpleName() + " on " + type.getSimpleName()
          + " or " + target.getClass().getSimpleName());
    }
    if (found.equals(method)) {
      throw new IllegalArgumentException("@Fallback(\"" + name + "\") on " + MethodPlan.describe(method)
          + " names the method itself");
    }
    return found;
  }

  private static Method match(Method[] candidates, Method method, String name) {
    Class<?>[] params = method.getParameterTypes();
    for (Method c : candidates) {
      if (!c.getName().equals(name) || Modifier.isStatic(c.getModifiers())
          || !method.getReturnType().isAssignableFrom(c.getReturnType())) {
        continue;
      }
      Class<?>[] cp = c.getParameterTypes();
      boolean same = Arrays.equals(cp, params);
      boolean withFailure = cp.length == params.length + 1 && Arrays.equals(Arrays.copyOf(cp, params.length), params)
          && MethodPlan.takesFailure(cp[params.length]);
      if (same || withFailure) {
        return c;
      }
    }
    return null;
  }
}
