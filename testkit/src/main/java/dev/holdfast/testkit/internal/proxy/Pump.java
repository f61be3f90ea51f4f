package dev.holdfast.testkit.internal.proxy;

import dev.holdfast.testkit.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Moves bytes one way for one connection, on its own thread: read a chunk, let the fault in force hold or delay
 * it, write what may pass. Blocking reads, no polling: the thread sleeps in {@code read} or in {@link
 * FaultState}, and is woken by traffic, a fault change or the connection ending. Confined to its thread.
 */
final class Pump {
  /** Large enough for PostgreSQL's typical messages in one chunk, small enough for many connections. */
  static final int BUFFER_SIZE = 16 * 1024;

  private final ProxyConnection connection;
  private final Direction way;
  private final Socket from;
  private final Socket to;

  Pump(ProxyConnection connection, Direction way, Socket from, Socket to) {
    this.connection = connection;
    this.way = way;
    this.from = from;
    this.to = to;
  }

  void run() {
    FaultState state = connection.server().state();
    Traffic traffic = connection.server().traffic();
    byte[] buffer = new byte[BUFFER_SIZE];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        int read = in.read(buffer);
        // An end of stream is held and delayed like data, so a black hole also holds back a FIN.
        FaultState.Installed now = state.awaitForwarding(way, System.nanoTime(), connection::isEnded);
        if (now == null) {
          return;
        }
        if (read < 0) {
          connection.finish(way);
          return;
        }
        ProxyConnection.Allowance allowance = connection.allow(now, way, read);
        if (allowance.bytes() > 0) {
          out.write(buffer, 0, allowance.bytes());
          traffic.recordForwarded(way, allowance.bytes());
        }
        if (allowance.cut()) {
          connection.abort();
          return;
        }
      }
    } catch (IOException e) {
      // One side failed or was reset (possibly by us): pass the failure on to the other side as a reset.
      connection.abort();
    }
  }
}
