/**
 * holdfast-core: the Repository API, query model, error taxonomy, resilience policy, safe get/set and DAO wrapping.
 * Exports only its public API ({@code dev.holdfast}) and extension points ({@code dev.holdfast.spi}); {@code
 * dev.holdfast.internal} stays private.
 */
module dev.holdfast {
  requires transitive com.fasterxml.jackson.databind;
  requires dev.failsafe.core;
  requires org.slf4j;
  // Only for recognising java.net.http timeouts; never needed at run time.
  requires static java.net.http;

  exports dev.holdfast;
  exports dev.holdfast.spi;

  uses dev.holdfast.spi.ErrorClassifier;
}
