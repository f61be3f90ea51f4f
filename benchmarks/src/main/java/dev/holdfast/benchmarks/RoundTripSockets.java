package dev.holdfast.benchmarks;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A pgjdbc {@code socketFactory} that counts round trips where they happen, in the client: a round trip is the
 * client turning from writing to reading, that is, waiting for an answer. Messages written back to back (an
 * explicit transaction's BEGIN and the statement after it) count once, as the client waited once. Use it with
 * {@code socketFactory=dev.holdfast.benchmarks.RoundTripSockets} in the JDBC URL. The count is global, for
 * measurements that run one connection at a time; thread-safe.
 */
public final class RoundTripSockets extends SocketFactory {
  private static final AtomicLong ROUND_TRIPS = new AtomicLong();

  /** Round trips made by every socket this factory created. */
  static long roundTrips() {
    return ROUND_TRIPS.get();
  }

  @Override
  public Socket createSocket() {
    return new CountingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new java.net.InetSocketAddress(address, port));
  }

  private static Socket connected(java.net.InetSocketAddress address) throws IOException {
    Socket s = new CountingSocket();
    s.connect(address);
    return s;
  }

  private static final class CountingSocket extends Socket {
    private volatile boolean wrote;
    private InputStream input;
    private OutputStream output;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        // Inside the filters, "in" and "out" are the wrapped socket streams.
        input = new FilterInputStream(super.getInputStream()) {
          @Override
          public int read() throws IOException {
            turn();
            return super.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            turn();
            return in.read(b, off, len);
          }
        };
      }
      return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (output == null) {
        output = new FilterOutputStream(super.getOutputStream()) {
          @Override
          public void write(int b) throws IOException {
            wrote = true;
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            wrote = true;
            out.write(b, off, len);
          }
        };
      }
      return output;
    }

    private void turn() {
      if (wrote) {
        wrote = false;
        ROUND_TRIPS.incrementAndGet();
      }
    }
  }
}
