package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.ConfigurationException;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class JdkErrorClassifierTest {
  private final JdkErrorClassifier classifier = new JdkErrorClassifier();

  private HoldfastException classify(Throwable failure) {
    HoldfastException h = classifier.classify(failure, "db").orElseThrow();
    assertThat(h.backend()).isEqualTo("db");
    assertThat(h.getCause()).isSameAs(failure);
    return h;
  }

  private void assertNotSent(Throwable failure) {
    assertThat(classify(failure)).isInstanceOfSatisfying(TransientException.class,
        t -> assertThat(t.requestSent()).isFalse());
  }

  private void assertMaybeSent(Throwable failure) {
    assertThat(classify(failure)).isInstanceOfSatisfying(TransientException.class,
        t -> assertThat(t.requestSent()).isTrue());
  }

  @Test
  void aFailureToConnectIsTransientAndNothingWasSent() {
    assertNotSent(new ConnectException("Connection refused"));
    assertNotSent(new NoRouteToHostException("no route"));
    assertNotSent(new PortUnreachableException("unreachable"));
    assertNotSent(new HttpConnectTimeoutException("connect timed out"));
  }

  @Test
  void anUnknownHostIsAConfigurationErrorWithAHint() {
    assertThat(classify(new UnknownHostException("db.exampel.com")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(h -> assertThat(h.hint()).contains("host name"))
        .hasMessageContaining("db.exampel.com");
  }

  @Test
  void timeoutsAreTransientMayHaveBeenSentAndSaySo() {
    for (Throwable timeout : new Throwable[] {new SocketTimeoutException("read timed out"),
        new InterruptedIOException("interrupted"), new TimeoutException("timed out"),
        new HttpTimeoutException("request timed out")}) {
      assertMaybeSent(timeout);
    }
    assertThat(classify(new SocketTimeoutException("read")).code()).contains(JdkErrorClassifier.TIMEOUT);
    assertThat(classify(new TimeoutException("t")).code()).contains(JdkErrorClassifier.TIMEOUT);
  }

  @Test
  void anyOtherIoExceptionIsTransientAndMayHaveBeenSent() {
    assertMaybeSent(new SocketException("Connection reset"));
    assertMaybeSent(new IOException("broken pipe"));
  }

  @Test
  void theCauseChainIsWalked() {
    assertNotSent(new UncheckedIOException(new ConnectException("refused")));
    assertNotSent(new RuntimeException("dao", new IllegalStateException("x", new ConnectException("refused"))));
    assertThat(classify(new RuntimeException(new UnknownHostException("h"))))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aPasswordInTheDriversMessageNeverReachesOurs() {
    HoldfastException h = classify(new ConnectException("refused: postgresql://app:hunter2@db:5432/app"));
    assertThat(h.getMessage()).doesNotContain("hunter2").contains("app:****@db");
  }

  @Test
  void leavesEverythingElseAlone() {
    assertThat(classifier.classify(new IllegalStateException("bug"), "db")).isEmpty();
    assertThat(classifier.classify(new Exception("checked"), "db")).isEmpty();
  }

  @Test
  void survivesACyclicCauseChain() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(classifier.classify(a, "db")).isEmpty();
  }
}
