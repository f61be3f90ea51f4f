package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.ConfigurationException;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real TLS failures from pgjdbc against an embedded PostgreSQL with TLS on and a self-signed certificate for
 * "localhost" (made with the JDK's keytool): an untrusted chain, a host name the certificate does not name and an
 * unreadable root certificate are configuration errors on the first attempt, with sslmode advice.
 */
class TlsFailureTest {
  record Thing(Long id) {}

  static final Table<Thing, Long> THINGS = Table.builder("things", Thing.class, Long.class).build();
  static final ResiliencePolicy PATIENT = ResiliencePolicy.builder().attemptTimeout(Duration.ofSeconds(30))
      .deadline(Duration.ofSeconds(60)).build();
  static Path dir;
  static Path serverCa;
  static Path otherCa;
  static EmbeddedPostgres server;

  @BeforeAll
  static void startAServerWithTls() throws Exception {
    dir = Files.createTempDirectory("holdfast-tls");
    Path key = dir.resolve("server.key");
    serverCa = dir.resolve("server.crt");
    otherCa = dir.resolve("other.crt");
    selfSigned("localhost", key, serverCa);
    selfSigned("someone-else", dir.resolve("other.key"), otherCa);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    server = EmbeddedPostgres.builder().setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", serverCa.toString()).setServerConfig("ssl_key_file", key.toString())
        .start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String url(String host, String query) {
    return "postgresql://postgres@" + host + ":" + server.getPort() + "/postgres?" + query;
  }

  @Test
  void theServerWorksWithTheRightSettings() {
    for (String url : List.of(url("localhost", "sslmode=require"),
        url("localhost", "sslmode=verify-full&sslrootcert=" + serverCa))) {
      try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(url)).build()) {
        db.repository(THINGS).count(Filter.all());
      } catch (dev.holdfast.SchemaMismatchException expected) {
        // Connected: the table does not exist, which is all this needed to find out.
      }
    }
  }

  @Test
  void anUntrustedCertificateIsAConfigurationErrorNamingSslmode() {
    ConfigurationException e = failFast(url("localhost", "sslmode=verify-full&sslrootcert=" + otherCa));
    assertThat(e.reason()).contains("PKIX path").contains("localhost:" + server.getPort());
    assertThat(e.hint()).contains("sslmode=require").contains("verify-full with sslrootcert");
    assertThat(ConnectionDoctor.explain(e).topic()).isEqualTo("ssl.certificate");
  }

  @Test
  void aHostTheCertificateDoesNotNameIsAConfigurationError() {
    ConfigurationException e = failFast(url("127.0.0.1", "sslmode=verify-full&sslrootcert=" + serverCa));
    assertThat(e.reason()).contains("127.0.0.1").contains("could not be verified");
    assertThat(e.hint()).contains("host name the certificate names");
    ConnectionDoctor.Report report = ConnectionDoctor.diagnose(url("127.0.0.1", "sslmode=verify-full&sslrootcert="
        + serverCa), Duration.ofSeconds(5));
    assertThat(report.ok()).isFalse();
    assertThat(report.findings()).extracting(ConnectionDoctor.Finding::topic).contains("ssl.verify-ip",
        "ssl.hostname");
  }

  @Test
  void anUnreadableRootCertificateIsAConfigurationError() throws IOException {
    Path notAFile = Files.createDirectories(dir.resolve("not-a-file"));
    ConfigurationException e = failFast(url("localhost", "sslmode=verify-full&sslrootcert=" + notAFile));
    assertThat(e.reason()).startsWith("Could not open SSL root certificate file");
    assertThat(ConnectionDoctor.explain(e).topic()).isEqualTo("ssl.rootcert-unreadable");
  }

  private static ConfigurationException failFast(String url) {
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).connectionTimeout(Duration.ofSeconds(30))
        .build()).policy(PATIENT).build()) {
      long start = System.nanoTime();
      ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
          () -> db.repository(THINGS).count(Filter.all()));
      assertThat(e).isNotNull();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat((System.nanoTime() - start) / 1_000_000).as("not after the 30 s timeouts").isLessThan(10_000);
      return e;
    }
  }

  /** A self-signed certificate and its key as PEM files, made with the JDK's keytool. */
  private static void selfSigned(String commonName, Path key, Path certificate) throws Exception {
    Path store = dir.resolve(commonName + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "k", "-keyalg", "RSA", "-keysize",
        "2048", "-dname", "CN=" + commonName, "-validity", "2", "-storetype", "PKCS12", "-keystore",
        store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("k", "changeit".toCharArray()).getEncoded()));
    Files.writeString(certificate, pem("CERTIFICATE", ks.getCertificate("k").getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
