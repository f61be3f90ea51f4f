package dev.holdfast.internal;

import dev.holdfast.Guard;
import dev.holdfast.HoldfastException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The invocation handler behind {@code Resilient.wrap}: each abstract interface method runs on the target under
 * the guard, as its {@link MethodPlan} says; default methods run as written (their calls to abstract methods come
 * back through the proxy and are guarded there, so nothing is retried twice); {@code equals}, {@code hashCode}
 * and {@code toString} are the proxy's own. Internal; thread-safe.
 */
public final class DaoProxy implements InvocationHandler {
  private final Class<?> type;
  private final Object target;
  private final Guard guard;
  private final Map<Method, MethodPlan> plans;

  private DaoProxy(Class<?> type, Object target, Guard guard, Map<Method, MethodPlan> plans) {
    this.type = type;
    this.target = target;
    this.guard = guard;
    this.plans = plans;
  }

  /**
   * A proxy of {@code type} over {@code target}, every annotation checked now.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, {@code target} does not implement it,
   *     or an annotation is wrong (the message names the method)
   */
  public static <D> D wrap(Class<D> type, D target, Guard guard) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(guard, "guard");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface; wrap the DAO's interface");
    }
    if (!type.isInstance(target)) {
      throw new IllegalArgumentException(target.getClass().getName() + " does not implement " + type.getName());
    }
    Map<Method, MethodPlan> plans = new HashMap<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isAbstract(m.getModifiers())) {
        plans.put(m, MethodPlan.of(type, target, m, guard.policy()));
      }
    }
    DaoProxy handler = new DaoProxy(type, target, guard, Map.copyOf(plans));
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return objectMethod(proxy, method, args);
    }
    if (method.isDefault()) {
      return DefaultMethods.invoke(proxy, method, args);
    }
    MethodPlan plan = plans.get(method);
    return plan.async() ? invokeAsync(proxy, method, plan, args) : invokeSync(proxy, plan, args);
  }

  private Object invokeSync(Object proxy, MethodPlan plan, Object[] args) throws Throwable {
    // Only data-access failures are caught: anything else, the DAO's own checked exceptions included, the guard
    // rethrows as the very object the DAO threw, and it reaches the caller so.
    try {
      return guard.call(plan.call(), ctx -> plan.timeout() == null
          ? callTarget(plan.method(), args)
          : BoundedWait.run(guard.scheduler(), plan.timeout(), plan.call().operation(), guard.backend(),
              () -> callTarget(plan.method(), args)));
    } catch (HoldfastException failure) {
      if (plan.recovery() != null) {
        return recover(proxy, plan, args, failure);
      }
      throw failure;
    }
  }

  private Object invokeAsync(Object proxy, Method method, MethodPlan plan, Object[] args) {
    CompletableFuture<Object> guarded = guard.callAsync(plan.call(), ctx -> {
      // Each attempt calls the DAO again: a failed future cannot be restarted.
      CompletionStage<?> stage = (CompletionStage<?>) callTarget(plan.method(), args);
      Objects.requireNonNull(stage, () -> MethodPlan.describe(method) + " returned null instead of a future");
      return BoundedWait.await(stage);
    });
    return guarded.handle((value, thrown) -> {
      if (thrown == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = Futures.unwrap(thrown);
      if (cause instanceof HoldfastException failure && plan.recovery() != null) {
        try {
          return ((CompletionStage<?>) recover(proxy, plan, args, failure)).toCompletableFuture();
        } catch (Throwable t) {
          return CompletableFuture.failedFuture(Futures.unwrap(t));
        }
      }
      return CompletableFuture.failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private Object recover(Object proxy, MethodPlan plan, Object[] args, HoldfastException failure) throws Throwable {
    SafeLog.recovered(plan.call().operation(), plan.recovery().description(), failure);
    return plan.recovery().recover(proxy, target, args, failure);
  }

  private Object callTarget(Method method, Object[] args) throws Exception {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw Futures.<RuntimeException>sneakyThrow(cause);
    }
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> toString();
    };
  }

  /** Names the interface and the target's class, never the target's own toString (which might print secrets). */
  @Override
  public String toString() {
    return "Resilient<" + type.getName() + " over " + target.getClass().getName() + ", backend=" + guard.backend()
        + ">";
  }
}
