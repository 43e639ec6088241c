package org.minibert.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.cli.service.ServiceProcess;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.VersionDetails;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;

/**
 * SIGTERM under load, on the packaged service as its own process: every request the service
 * accepted gets a complete HTTP answer, 200 or a 503 problem, and none is dropped. Each request is
 * its own connection ({@code Connection: close}), so an answer cut short is seen as such; a client
 * stops at its first 503 (the service is going away), so no client races the listener's close.
 */
class GracefulShutdownIT {
  private static final Path FIXTURE = TinyModelFixtureTest.FIXTURE;
  private static final String BODY;

  static {
    StringBuilder inputs = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      inputs.append(i == 0 ? "" : ", ").append("\"나는 [MASK]에 간다. 문장 ").append(i).append("\"");
    }
    BODY = "{\"inputs\": [" + inputs + "]}";
  }

  @TempDir Path work;
  private ServiceProcess running;
  private Process service;
  private int port;
  private int managementPort;

  /** What became of one request. */
  record Outcome(long sentAt, long answeredAt, String result) {}

  @AfterEach
  void stop() {
    if (service != null && service.isAlive()) {
      service.destroyForcibly();
    }
  }

  @Test
  void sigtermAnswersEveryAcceptedRequest() throws Exception {
    Path store = work.resolve("store");
    publishFixture(store);
    service = start(store);

    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> readiness = new ConcurrentLinkedQueue<>();
    AtomicBoolean stopping = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      Thread client =
          new Thread(
              () -> {
                while (true) {
                  long sent = System.nanoTime();
                  String result = send("POST", "/fill-mask", BODY);
                  outcomes.add(new Outcome(sent, System.nanoTime(), result));
                  if (!result.equals("200")) {
                    return;
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    Thread probe =
        new Thread(
            () -> {
              while (!stopping.get()) {
                Thread.onSpinWait();
              }
              while (service.isAlive()) {
                String ready = send(managementPort, "GET", "/q/health/ready", null);
                if (ready.startsWith("refused")) {
                  return;
                }
                readiness.add(ready.startsWith("503") ? 503 : ready.startsWith("200") ? 200 : -1);
                sleep(50);
              }
            });
    probe.start();

    Instant until = Instant.now().plusSeconds(30);
    while (outcomes.stream().filter(o -> o.result().equals("200")).count() < 20
        && Instant.now().isBefore(until)) {
      Thread.sleep(20);
    }
    long sigterm = System.nanoTime();
    stopping.set(true);
    service.destroy(); // SIGTERM
    assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("the service exits").isTrue();
    for (Thread client : clients) {
      client.join(10_000);
    }
    probe.join(10_000);

    List<String> results = outcomes.stream().map(Outcome::result).toList();
    assertThat(results)
        .as(
            "every request a complete 200 or 503 problem, or refused before it was accepted; log:"
                + " %s",
            log())
        .allSatisfy(r -> assertThat(r).matches("200|503 problem|refused.*"));
    assertThat(
            outcomes.stream()
                .filter(o -> o.sentAt() < sigterm && o.answeredAt() > sigterm)
                .filter(o -> o.result().equals("200")))
        .as("requests in flight at SIGTERM were answered; outcomes %s", results)
        .isNotEmpty();
    assertThat(results).as("new work during shutdown gets a 503 problem").contains("503 problem");
    // the first poll may reach the service before the JVM has handled the signal: readiness turns
    // DOWN within two polls (100 ms) and never comes back UP
    List<Integer> polls = List.copyOf(readiness);
    int firstDown = polls.indexOf(503);
    assertThat(firstDown).as("readiness polls after SIGTERM %s", polls).isBetween(0, 2);
    assertThat(polls.subList(firstDown, polls.size()))
        .as("readiness once shutdown began %s", polls)
        .doesNotContain(200);
    assertThat(log()).doesNotContain("ERROR");
  }

  /**
   * One request on its own connection: {@code 200}, {@code 503 problem}, another status, {@code
   * refused} (never connected: not accepted) or {@code dropped} (sent, but no complete answer).
   */
  private String send(String method, String path, String body) {
    return send(port, method, path, body);
  }

  /** The same on another port of the service (its management interface). */
  private String send(int toPort, String method, String path, String body) {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    Socket socket = new Socket();
    try {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", toPort), 2000);
      } catch (ConnectException e) {
        return "refused";
      }
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + (body == null
                      ? ""
                      : "Content-Type: application/json\r\nContent-Length: "
                          + payload.length
                          + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(payload);
      out.flush();
      InputStream in = socket.getInputStream();
      return classify(in.readAllBytes());
    } catch (IOException e) {
      return "dropped (" + e + ")";
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static String classify(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || split < 0) {
      return "dropped (" + response.length + " bytes)";
    }
    String head = text.substring(0, split).toLowerCase(Locale.ROOT);
    int bodyBytes = response.length - split - 4;
    boolean complete;
    if (head.contains("transfer-encoding: chunked")) {
      complete = text.endsWith("0\r\n\r\n");
    } else {
      int at = head.indexOf("content-length:");
      complete =
          at >= 0
              && Integer.parseInt(
                      head.substring(
                              at + 15,
                              head.indexOf('\n', at) < 0 ? head.length() : head.indexOf('\n', at))
                          .trim())
                  == bodyBytes;
    }
    if (!complete) {
      return "dropped (incomplete: " + head.substring(0, 12) + ")";
    }
    String status = head.substring(9, 12);
    if (status.equals("503") && head.contains("application/problem+json")) {
      return "503 problem";
    }
    return status.equals("200") ? "200" : status + " " + text.substring(split + 4);
  }

  private static void publishFixture(Path store) throws IOException {
    Manifest.Parity parity =
        Json.read(
            FIXTURE.resolveSibling(FIXTURE.getFileName() + ".parity.json"), Manifest.Parity.class);
    try (ObjectStore objects = ObjectStores.open(store.toString())) {
      new ModelRepository(objects, "minibert")
          .publish(
              FIXTURE,
              new VersionDetails(parity, new Manifest.Source("test-fixture", 0, "unknown"), null),
              Promotion.ALWAYS);
    }
  }

  /** The packaged service, as a user runs it, on a fixture store. */
  private Process start(Path store) throws IOException, InterruptedException {
    running =
        ServiceProcess.builder()
            .port(0)
            .javaOptions("-Xmx512m")
            .setting("minibert.store", store.toString())
            .setting("minibert.device", "cpu")
            .setting("minibert.poll-interval", "0")
            .setting("minibert.cache-dir", work.resolve("cache").toString())
            .setting("minibert.batch.workers", "1")
            .setting("minibert.batch.max-size", "4")
            .setting("quarkus.shutdown.delay", "1s")
            .logTo(work.resolve("service.log"))
            .start();
    port = running.baseUri().getPort();
    managementPort = running.managementUri().getPort();
    running.awaitReady(Duration.ofMinutes(2));
    return running.process();
  }

  private String log() {
    try {
      return Files.readString(work.resolve("service.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
