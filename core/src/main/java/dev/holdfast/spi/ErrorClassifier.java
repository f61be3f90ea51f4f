package dev.holdfast.spi;

import dev.holdfast.HoldfastException;
import java.util.Optional;

/**
 * Turns a failure into holdfast's taxonomy, which decides whether a {@link dev.holdfast.Guard} retries it.
 * Adapters provide one for their driver's exceptions (holdfast-jdbc: SQLSTATE-aware for {@code SQLException});
 * classifiers listed in {@code META-INF/services/dev.holdfast.spi.ErrorClassifier} are found on the class path
 * and consulted in order. Implementations are thread-safe and must not throw.
 */
@FunctionalInterface
public interface ErrorClassifier {
  /**
   * Classifies {@code failure} from {@code backend}: a {@link HoldfastException} subtype whose cause is
   * {@code failure}, or empty when this classifier does not recognise it (then the next classifier is asked,
   * and a failure no classifier recognises is not retried and reaches the caller unchanged).
   */
  Optional<HoldfastException> classify(Throwable failure, String backend);
}
