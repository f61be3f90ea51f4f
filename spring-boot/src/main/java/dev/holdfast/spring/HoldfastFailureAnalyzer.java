package dev.holdfast.spring;

import dev.holdfast.ConfigurationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Startup failed in holdfast: a backend that {@code holdfast.startup.fail-fast} could not reach ({@link
 * BackendUnavailableException}), or a {@link ConfigurationException} such as a connection string the connection
 * doctor calls wrong. Prints the doctor's finding and its advice, and which properties are involved.
 */
public final class HoldfastFailureAnalyzer implements FailureAnalyzer {
  @Override
  public FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BackendUnavailableException e) {
        return new FailureAnalysis("holdfast could not reach its " + e.backend() + " backend at startup: "
            + e.getMessage(), e.advice() + properties(e.backend()), e);
      }
      if (t instanceof ConfigurationException e) {
        return new FailureAnalysis("holdfast's " + e.backend() + " backend is configured wrongly: " + e.getMessage(),
            e.hint() + properties(e.backend()), e);
      }
    }
    return null;
  }

  private static String properties(String backend) {
    return switch (backend) {
      case "jdbc" -> "\n\nThe connection comes from holdfast.jdbc.url when it is set, otherwise from the "
          + "application's DataSource (spring.datasource.url, spring.datasource.username, "
          + "spring.datasource.password).";
      case "postgrest" -> "\n\nThe connection comes from holdfast.postgrest.url and holdfast.postgrest.api-key.";
      default -> "";
    };
  }
}
