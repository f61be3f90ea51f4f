package dev.holdfast.internal;

import dev.holdfast.HoldfastException;
import dev.holdfast.spi.ErrorClassifier;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what an attempt threw into holdfast's taxonomy, asking in order: the exception itself, the guard's
 * classifiers (the backend's first), those found on the class path, and finally the {@link JdkErrorClassifier}.
 * Immutable and thread-safe.
 */
public final class FailureClassifier {
  private static final Logger LOG = LoggerFactory.getLogger(FailureClassifier.class);
  private static final ErrorClassifier JDK = new JdkErrorClassifier();

  private final String backend;
  private final List<ErrorClassifier> classifiers;

  /** Asks {@code classifiers} in order, then the JDK classifier. */
  public FailureClassifier(String backend, List<ErrorClassifier> classifiers) {
    this.backend = backend;
    this.classifiers = List.copyOf(classifiers);
  }

  /** The failure in holdfast's taxonomy, or null when nobody recognises it (it is then not retried). */
  public HoldfastException classify(Throwable failure) {
    // Already classified, by a backend or by a nested guard: as thrown.
    if (failure instanceof HoldfastException h) {
      return h;
    }
    // An Error (out of memory, a failed assertion) is not a data-access failure, whatever it wraps.
    if (failure instanceof Error) {
      return null;
    }
    for (ErrorClassifier c : classifiers) {
      HoldfastException h = ask(c, failure);
      if (h != null) {
        return h;
      }
    }
    return ask(JDK, failure);
  }

  private HoldfastException ask(ErrorClassifier classifier, Throwable failure) {
    try {
      Optional<HoldfastException> h = classifier.classify(failure, backend);
      return h == null ? null : h.orElse(null);
    } catch (RuntimeException e) {
      // The SPI says classifiers must not throw; one that does must not hide the original failure.
      LOG.warn("[{}] error classifier {} threw; ignoring it", backend, classifier.getClass().getName(), e);
      return null;
    }
  }
}
