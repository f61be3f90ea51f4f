package dev.holdfast.examples;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Quiets pgjdbc, which logs through java.util.logging: its complaints about dropped sockets are the demos' point. */
final class DriverLogs {
  // A static reference, because java.util.logging forgets the level of a logger that was garbage-collected.
  private static final Logger PGJDBC = Logger.getLogger("org.postgresql");

  private DriverLogs() {}

  static void quiet() {
    PGJDBC.setLevel(Level.OFF);
  }
}
