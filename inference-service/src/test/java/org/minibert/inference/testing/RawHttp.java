package org.minibert.inference.testing;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request sent byte for byte (for URLs that HTTP client libraries refuse to send, like bad
 * percent-encoding).
 */
public final class RawHttp {
  private RawHttp() {}

  public record Answer(int status, String head, String body) {}

  public static Answer get(String pathAndQuery) throws IOException {
    return send("GET", pathAndQuery);
  }

  /** A request without a body, with any method (also ones HTTP does not define). */
  public static Answer send(String method, String pathAndQuery) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + pathAndQuery
                  + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] response = in.readAllBytes();
      int split = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
      String head = new String(response, 0, split, StandardCharsets.ISO_8859_1);
      byte[] body = java.util.Arrays.copyOfRange(response, split + 4, response.length);
      if (head.toLowerCase().contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Answer(
          Integer.parseInt(head.substring(9, 12)), head, new String(body, StandardCharsets.UTF_8));
    }
  }

  /** Chunk sizes count bytes: undone on the bytes, before decoding. */
  private static byte[] unchunk(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int eol = indexOf(body, new byte[] {'\r', '\n'}, at);
      int size =
          Integer.parseInt(new String(body, at, eol - at, StandardCharsets.ISO_8859_1).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, eol + 2, size);
      at = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte[] what, int from) {
    for (int i = from; i + what.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }
}
