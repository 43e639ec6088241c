package org.minibert.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small reads (LATEST, a manifest, HISTORY.json) are bounded in size and in time on both stores: a
 * huge object fails at once without being read into memory, a trickling one fails at the deadline,
 * each with one line naming the object.
 */
class BoundedReadsTest {
  static final StoreLimits SMALL =
      StoreLimits.DEFAULT.withSmallReads(64 * 1024, Duration.ofMillis(1500));

  @TempDir Path tmp;

  @Test
  void aHugeLatestOnS3FailsWithOneLine() throws IOException {
    try (S3ObjectStore s3 = new S3ObjectStore(S3ProxyServer.settings(), SMALL)) {
      s3.ensureExists();
      Path huge = Files.write(tmp.resolve("huge"), new byte[5 << 20]);
      s3.put("m/LATEST", huge);
      s3.putBytes("m/HISTORY.json", "{}".getBytes(UTF_8));
      for (String key : new String[] {"m/LATEST"}) {
        assertThatThrownBy(() -> s3.getBytes(key))
            .isInstanceOf(StoreException.class)
            .hasMessage(
                s3.uri()
                    + "/m/LATEST is larger than the 64 KiB allowed for it (5242880 bytes): not"
                    + " read");
        assertThatThrownBy(() -> s3.getTagged(key)).isInstanceOf(StoreException.class);
      }
      // what is within the cap still reads
      assertThat(new String(s3.getBytes("m/HISTORY.json").orElseThrow(), UTF_8)).isEqualTo("{}");
    }
  }

  @Test
  void aHugeLatestInAFolderFailsWithOneLine() throws IOException {
    LocalFolderStore local = new LocalFolderStore(tmp.resolve("store"), SMALL);
    Files.createDirectories(tmp.resolve("store/m"));
    Files.write(tmp.resolve("store/m/LATEST"), new byte[(64 * 1024) + 1]);
    assertThatThrownBy(() -> local.getBytes("m/LATEST"))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            local.uri()
                + ": m/LATEST is larger than the 64 KiB allowed for it (65537 bytes): not read");
    assertThatThrownBy(() -> local.getTagged("m/LATEST")).isInstanceOf(StoreException.class);
    Files.write(tmp.resolve("store/m/LATEST"), new byte[64 * 1024]);
    assertThat(local.getBytes("m/LATEST"))
        .hasValueSatisfying(b -> assertThat(b).hasSize(64 * 1024));
  }

  /** An S3-compatible server that answers LATEST with headers at once, then a byte every 200 ms. */
  @Test
  void aTricklingLatestFailsAtTheDeadlineInsteadOfStalling() throws IOException {
    AtomicLong sent = new AtomicLong();
    HttpServer server = trickling(sent, "1000", 200);
    try (S3ObjectStore s3 = storeAt(server)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> s3.getBytes("m/LATEST"))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "s3://trickle/m/LATEST was not read within 1500 ms (the store answers too slowly)");
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsedMs).isBetween(1000L, 6000L);
      assertThat(sent.get()).isLessThan(1000);
    } finally {
      server.stop(0);
    }
  }

  /** No Content-Length (chunked): the cap still stops the read. */
  @Test
  void anEndlessChunkedLatestIsCutAtTheCap() throws IOException {
    AtomicLong sent = new AtomicLong();
    HttpServer server = trickling(sent, null, 0);
    try (S3ObjectStore s3 = storeAt(server)) {
      assertThatThrownBy(() -> s3.getBytes("m/LATEST"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("is larger than the 64 KiB allowed for it");
    } finally {
      server.stop(0);
    }
  }

  /** A server that accepts the request and never answers: the API call timeout ends it. */
  @Test
  void aServerThatNeverAnswersFailsAtTheDeadline() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    try (S3ObjectStore s3 = storeAt(server)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> s3.getTagged("m/LATEST"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("was not read within 1500 ms");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000L);
    } finally {
      server.stop(0);
    }
  }

  private static S3ObjectStore storeAt(HttpServer server) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new S3ObjectStore(
        new S3ObjectStore.Settings(
            "trickle",
            "",
            endpoint,
            software.amazon.awssdk.regions.Region.US_EAST_1,
            S3ProxyServer.settings().credentials(),
            S3ObjectStore.Settings.DEFAULT_MULTIPART_THRESHOLD,
            S3ObjectStore.Settings.DEFAULT_PART_SIZE),
        SMALL);
  }

  /**
   * @param contentLength the declared length, or null for a chunked answer without end
   * @param pauseMs the pause between bytes (0: as fast as possible, in 8 KiB writes)
   */
  private static HttpServer trickling(AtomicLong sent, String contentLength, long pauseMs)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().add("ETag", "\"abc\"");
          ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, contentLength == null ? 0 : Long.parseLong(contentLength));
          try (OutputStream out = ex.getResponseBody()) {
            byte[] chunk = new byte[pauseMs > 0 ? 1 : 8192];
            while (true) {
              out.write(chunk);
              out.flush();
              sent.addAndGet(chunk.length);
              if (pauseMs > 0) {
                Thread.sleep(pauseMs);
              }
              if (contentLength != null && sent.get() >= Long.parseLong(contentLength)) {
                break;
              }
            }
          } catch (IOException | InterruptedException clientWentAway) {
            // the reader aborted: what the test wants
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return server;
  }
}
