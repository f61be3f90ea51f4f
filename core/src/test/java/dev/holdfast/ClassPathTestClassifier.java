package dev.holdfast;

import dev.holdfast.spi.ErrorClassifier;
import java.util.Optional;

/**
 * Listed in the tests' {@code META-INF/services}: shows that guards find classifiers on the class path. It
 * recognises only its own {@link Marker}, so it changes nothing for other tests.
 */
public final class ClassPathTestClassifier implements ErrorClassifier {
  /** For {@link java.util.ServiceLoader}. */
  public ClassPathTestClassifier() {}

  @Override
  public Optional<HoldfastException> classify(Throwable failure, String backend) {
    return failure instanceof Marker
        ? Optional.of(new TransientException("marker", ErrorDetails.of(backend), failure))
        : Optional.empty();
  }

  /** The failure this classifier recognises. */
  public static final class Marker extends RuntimeException {
    public Marker() {
      super("marker");
    }
  }
}
