package org.minibert.bench.serving;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A closed-loop HTTP/1.1 load generator: one keep-alive socket per connection, requests written as
 * raw bytes and responses parsed just enough (status, Content-Length or chunked), so the client
 * spends as little of the shared CPU as possible.
 */
final class HttpLoad {
  private HttpLoad() {}

  /** One keep-alive connection. */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    Connection(String host, int port) throws IOException {
      this.socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      this.host = host + ":" + port;
    }

    /** Sends a GET and reads the whole answer; returns the status. */
    int get(String pathAndQuery) throws IOException {
      out.write(
          ("GET "
                  + pathAndQuery
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAccept: application/json\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim().toLowerCase();
        String value = header.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().trim(), 16);
            size > 0;
            size = Long.parseLong(line().trim(), 16)) {
          skip(size);
          line();
        }
        line();
      } else if (length > 0) {
        skip(length);
      }
      return status;
    }

    private void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static String query(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  static List<String> paths(List<String> sentences) {
    return sentences.stream().map(s -> "/fill-mask?text=" + query(s) + "&top_k=5").toList();
  }
}
