package dev.holdfast.testkit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fixture held in a JUnit {@link ExtensionContext.Store}, closed exactly once when the store's context ends.
 *
 * <p>Why both interfaces: JUnit 5.12 and older close only a {@code Store.CloseableResource}; 5.13 and 6.x close any
 * {@link AutoCloseable} (and only warn about a {@code CloseableResource} that is not one). A value that is both is
 * closed on every line from 5.12 through 6.x, without the warning. {@code CloseableResource} is deprecated from 5.13
 * on, not removed; the extensions use nothing else that differs between those lines. Thread-safe.
 */
@SuppressWarnings({"deprecation", "removal"})
final class StoredResource<T extends AutoCloseable> implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private final T value;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StoredResource(T value) {
    this.value = value;
  }

  /** The store's {@code key} value, created by {@code create} on first use; one per key, even under concurrent use. */
  @SuppressWarnings("unchecked")
  static <T extends AutoCloseable> T getOrCreate(ExtensionContext.Store store, Class<T> key,
      java.util.function.Supplier<? extends T> create) {
    return ((StoredResource<T>) store.getOrComputeIfAbsent(key, k -> new StoredResource<T>(create.get()),
        StoredResource.class)).value;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        value.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Closing " + value + " failed", e);
      }
    }
  }
}
