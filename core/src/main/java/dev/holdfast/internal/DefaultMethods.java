package dev.holdfast.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an interface's default method on a proxy. {@link InvocationHandler#invokeDefault} needs the interface to be
 * accessible from holdfast, which a package-private DAO interface is not; for those a private lookup in the
 * interface is used instead (allowed on the class path, and in a module that opens the package to holdfast).
 * Internal; thread-safe.
 */
final class DefaultMethods {
  // Per interface, so that caching a handle never keeps a class loader alive longer than the interface itself.
  private static final ClassValue<Map<Method, MethodHandle>> HANDLES = new ClassValue<>() {
    @Override
    protected Map<Method, MethodHandle> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private DefaultMethods() {}

  static Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Map<Method, MethodHandle> handles = HANDLES.get(method.getDeclaringClass());
    MethodHandle handle = handles.get(method);
    if (handle == null) {
      try {
        return InvocationHandler.invokeDefault(proxy, method, args);
      } catch (IllegalAccessException notAccessible) {
        Class<?> type = method.getDeclaringClass();
        handle = MethodHandles.privateLookupIn(type, MethodHandles.lookup()).unreflectSpecial(method, type);
        handles.put(method, handle);
      }
    }
    return handle.bindTo(proxy).invokeWithArguments(args == null ? new Object[0] : args);
  }
}
