package dev.holdfast.examples;

import dev.holdfast.jdbc.ConnectionDoctor;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The connection doctor on the command line: checks a PostgreSQL connection string (JDBC URL, {@code
 * postgresql://} URI or libpq key=value) before connecting, then, with {@code --connect}, tries it and explains
 * any failure in terms of what to change. Its words are the rules of the README's troubleshooting table, the
 * same that {@code JdbcBackend.fromUrl} and the exception hints use. No part of a password appears in the
 * output, and a string that does not parse is described, never printed.
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.mainClass=dev.holdfast.examples.Doctor \
 *     -Dexec.args="'postgresql://postgres:secret@aws-0-eu-west-1.pooler.supabase.com:6543/postgres'"
 * </pre>
 *
 * <p>Exit status: 0 when nothing is wrong, 1 when a finding is an error (a failed connection always is), 2 on
 * bad usage.
 */
public final class Doctor {
  private Doctor() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the doctor on {@code args} and returns the exit status. */
  public static int run(String[] args, PrintStream out) {
    boolean connect = args.length == 2 && args[1].equals("--connect");
    if (args.length == 0 || args.length > 2 || (args.length == 2 && !connect)) {
      out.println("usage: Doctor <connection string> [--connect]");
      return 2;
    }
    ConnectionDoctor.Report report = connect
        ? ConnectionDoctor.diagnose(args[0], Duration.ofSeconds(10))
        : ConnectionDoctor.check(args[0]);
    out.println(report);
    return report.ok() ? 0 : 1;
  }
}
