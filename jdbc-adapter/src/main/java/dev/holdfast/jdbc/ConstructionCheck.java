package dev.holdfast.jdbc;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection doctor's offline checks, run when a {@link JdbcBackend} is built from a connection string: a
 * string the doctor calls wrong fails at once, in the doctor's words, instead of at the first call. Stateless.
 */
final class ConstructionCheck {
  private static final Logger log = LoggerFactory.getLogger(JdbcBackend.class);

  private ConstructionCheck() {}

  /**
   * @throws ConfigurationException with the first ERROR finding's message and advice
   */
  static void run(ConnectionString cs) {
    List<Finding> findings = ConnectionDoctor.findings(cs);
    for (Finding f : findings) {
      if (f.severity() == Severity.ERROR) {
        throw new ConfigurationException(f.message(), ErrorDetails.of("jdbc").withHint(f.advice()), null);
      }
    }
    for (Finding f : findings) {
      if (f.severity() == Severity.WARNING) {
        log.warn("{}: {}", cs, f);
      } else {
        log.debug("{}: {}", cs, f);
      }
    }
  }
}
