package dev.holdfast.internal;

import dev.holdfast.Attempts;
import dev.holdfast.Call;
import dev.holdfast.DefaultOnFailure;
import dev.holdfast.Effect;
import dev.holdfast.Fallback;
import dev.holdfast.HoldfastException;
import dev.holdfast.Idempotent;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Timeout;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link DaoProxy} runs one abstract interface method, worked out once from its annotations when the DAO is
 * wrapped, so that a bad annotation fails {@code Resilient.wrap} rather than the first call. Internal; immutable.
 *
 * @param method the interface method, made accessible once here (the proxy passes in copies that are not)
 * @param call the guarded call: name, effect and (when annotated) policy
 * @param timeout the {@code @Timeout} bound on each attempt, or null
 * @param async whether the method returns a future
 * @param recovery what to return when the call fails for good, or null to throw
 */
record MethodPlan(Method method, Call call, Duration timeout, boolean async, Recovery recovery) {
  private static final List<String> READ_PREFIXES =
      List.of("get", "find", "list", "count", "exists", "load", "read", "search", "select", "is", "has");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

  static MethodPlan of(Class<?> type, Object target, Method method, ResiliencePolicy base) {
    String name = type.getSimpleName() + "." + method.getName();
    Call call = new Call(name, effect(type, method), null);
    Attempts attempts = annotation(type, method, Attempts.class);
    Timeout timeout = annotation(type, method, Timeout.class);
    Duration bound = timeout == null ? null : parse(timeout.value(), method);
    if (attempts != null || bound != null) {
      ResiliencePolicy.Builder policy = base.toBuilder();
      if (attempts != null) {
        if (attempts.value() < 1) {
          throw new IllegalArgumentException("@Attempts(" + attempts.value() + ") on " + describe(method)
              + " must be at least 1");
        }
        policy.maxAttempts(attempts.value());
      }
      if (bound != null) {
        policy.attemptTimeout(bound);
      }
      call = call.withPolicy(policy.build());
    }
    boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
    method.trySetAccessible();
    return new MethodPlan(method, call, bound, async, recovery(type, target, method, async));
  }

  private static Effect effect(Class<?> type, Method method) {
    Idempotent idempotent = annotation(type, method, Idempotent.class);
    boolean read = READ_PREFIXES.stream().anyMatch(p -> startsWithWord(method.getName(), p));
    if (idempotent == null) {
      return read ? Effect.READ : Effect.WRITE;
    }
    if (!idempotent.value()) {
      return Effect.WRITE;
    }
    return read ? Effect.READ : Effect.IDEMPOTENT_WRITE;
  }

  /** {@code getX}, {@code get} and {@code isOpen} are reads; {@code issue} and {@code hashFor} are not. */
  private static boolean startsWithWord(String name, String prefix) {
    return name.startsWith(prefix)
        && (name.length() == prefix.length() || !Character.isLowerCase(name.charAt(prefix.length())));
  }

  private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> type, Method m, Class<A> a) {
    A onMethod = m.getAnnotation(a);
    if (onMethod != null) {
      return onMethod;
    }
    A onDeclaring = m.getDeclaringClass().getAnnotation(a);
    return onDeclaring != null ? onDeclaring : type.getAnnotation(a);
  }

  private static Duration parse(String text, Method method) {
    Matcher m = SHORT_DURATION.matcher(text.trim());
    Duration d;
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
      } else {
        d = Duration.parse(text.trim());
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("@Timeout(\"" + text + "\") on " + describe(method)
          + " is not a duration: use ISO-8601 such as PT2S, or 500ms, 2s, 1m", e);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("@Timeout(\"" + text + "\") on " + describe(method) + " must be positive");
    }
    return d;
  }

  private static Recovery recovery(Class<?> type, Object target, Method method, boolean async) {
    Fallback fallback = method.getAnnotation(Fallback.class);
    boolean empty = method.isAnnotationPresent(DefaultOnFailure.class);
    if (fallback != null && empty) {
      throw new IllegalArgumentException(describe(method) + " has both @Fallback and @DefaultOnFailure; keep one");
    }
    if (fallback != null) {
      return Recovery.fallback(FallbackMethods.find(type, target, method, fallback.value()));
    }
    if (empty) {
      Class<?> valueType = async ? futureValueType(method) : method.getReturnType();
      Object value = emptyValue(valueType);
      if (value == null) {
        throw new IllegalArgumentException("@DefaultOnFailure on " + describe(method) + " needs an Optional, List, "
            + "Set, Map or Collection result (or a future of one), not " + valueType.getName());
      }
      return Recovery.value(value, async);
    }
    return null;
  }

  private static Class<?> futureValueType(Method method) {
    Type t = method.getGenericReturnType();
    if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof ParameterizedType inner) {
      return (Class<?>) inner.getRawType();
    }
    return Object.class;
  }

  private static Object emptyValue(Class<?> type) {
    if (type == Optional.class) {
      return Optional.empty();
    } else if (type == OptionalInt.class) {
      return OptionalInt.empty();
    } else if (type == OptionalLong.class) {
      return OptionalLong.empty();
    } else if (type == OptionalDouble.class) {
      return OptionalDouble.empty();
    } else if (type == List.class || type == Collection.class || type == Iterable.class) {
      return List.of();
    } else if (type == Set.class) {
      return Set.of();
    } else if (type == Map.class) {
      return Map.of();
    }
    return null;
  }

  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
        + String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
  }

  /** Whether a fallback's last parameter can receive the failure. */
  static boolean takesFailure(Class<?> parameter) {
    return parameter.isAssignableFrom(HoldfastException.class);
  }
}
