package dev.holdfast.testkit.internal.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.0 request on its own connection, for Patroni's REST API and HAProxy's statistics page on 127.0.0.1
 * (HTTP/1.0, so that servers close the connection after the answer).
 * Plain sockets rather than an HTTP client library: each call opens and closes everything it uses, so the
 * fixture leaves no client threads or pooled connections behind, and any method (PATCH, OPTIONS) can be sent.
 */
public final class Http {
  private Http() {}

  /** A response: its status code and body. */
  public record Answer(int status, String body) {
    /** Whether the status is 2xx. */
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Sends {@code method path} with an optional JSON body to 127.0.0.1:{@code port} and reads the whole answer.
   *
   * @throws IOException if the connection fails, the answer is not HTTP, or it takes longer than timeout
   */
  public static Answer call(int port, String method, String path, String json, Duration timeout)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
        + (json == null ? "" : "Content-Type: application/json\r\n")
        + "Content-Length: " + body.length + "\r\n\r\n";
    try (Socket socket = new Socket()) {
      int millis = (int) Math.max(1, timeout.toMillis());
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String response = readAll(socket.getInputStream(), System.nanoTime() + timeout.toNanos());
      int lineEnd = response.indexOf("\r\n");
      String[] status = (lineEnd < 0 ? response : response.substring(0, lineEnd)).split(" ");
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException("Not an HTTP response from port " + port + ": " + abbreviate(response));
      }
      int bodyStart = response.indexOf("\r\n\r\n");
      String headers = bodyStart < 0 ? response : response.substring(0, bodyStart);
      String content = bodyStart < 0 ? "" : response.substring(bodyStart + 4);
      try {
        if (headers.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
          // HAProxy's statistics page answers in chunks even to HTTP/1.0.
          content = dechunk(content);
        }
        return new Answer(Integer.parseInt(status[1]), content);
      } catch (NumberFormatException e) {
        throw new IOException("Bad HTTP status line from port " + port + ": " + abbreviate(response), e);
      }
    }
  }

  private static String readAll(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      all.write(buffer, 0, n);
      if (System.nanoTime() > deadline) {
        throw new IOException("HTTP response not complete within the timeout");
      }
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      String size = chunked.substring(at, lineEnd).split(";")[0].trim();
      int length = Integer.parseInt(size, 16);
      if (length == 0) {
        break;
      }
      // Sizes count bytes; the statistics and Patroni's answers are ASCII, where bytes are characters.
      int end = Math.min(chunked.length(), lineEnd + 2 + length);
      body.append(chunked, lineEnd + 2, end);
      at = end + 2;
    }
    return body.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
