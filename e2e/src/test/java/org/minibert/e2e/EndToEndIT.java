package org.minibert.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.cli.MiniBertCli;
import org.minibert.cli.service.ServiceProcess;
import org.minibert.core.io.Json;
import org.minibert.core.store.S3ProxyServer;
import picocli.CommandLine;

/**
 * The whole path on a tiny model, with the real parts at every seam: prepare the sample corpus,
 * train a few steps, export (parity-checked ONNX) and publish to an S3 server (S3Proxy, in this
 * JVM), start the packaged inference service as its own process against that store, ask it
 * fill-mask and NSP, publish a second version while requests keep coming, and see the service
 * switch to it without one failed request.
 */
class EndToEndIT {
  private static final String MODEL = "e2e";
  private static final String FILL_MASK =
      "/fill-mask?text=" + URLEncoder.encode("대한민국의 수도는 [MASK]이다.", StandardCharsets.UTF_8);

  @TempDir Path work;
  private ServiceProcess service;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopService() throws InterruptedException {
    if (service != null) {
      service.close();
    }
    for (String name :
        new String[] {
          "AWS_ENDPOINT_URL_S3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region"
        }) {
      System.clearProperty(name);
    }
  }

  @Test
  void prepareTrainExportServeAndHotSwap() throws Exception {
    String store = "s3://e2e-" + System.nanoTime() + "/models";
    System.setProperty("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString());
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");

    Path data = work.resolve("data");
    Path config =
        Files.writeString(
            work.resolve("tiny.json"),
            """
            {"name": "tiny", "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
             "max_position_embeddings": 64}
            """);
    cli(
        "prepare",
        "--input",
        sampleCorpus().toString(),
        "--out",
        data.toString(),
        "--vocab-size",
        "1000",
        "--max-seq-len",
        "64");
    cli(
        "train",
        "--data",
        data.toString(),
        "--config",
        config.toString(),
        "--out",
        work.resolve("run1").toString(),
        "--max-steps",
        "10",
        "--device",
        "cpu");
    String exported =
        cli("export", "--run", work.resolve("run1").toString(), "--store", store, "--model", MODEL);
    String first = versionIn(exported);

    service = startService(store);
    URI base = service.baseUri();
    awaitVersion(base, first, Duration.ofMinutes(2));

    JsonNode fill = get(base.resolve(FILL_MASK));
    assertThat(fill.path("version").asText()).isEqualTo(first);
    assertThat(fill.toString()).contains("\"token_id\"", "\"score\"", "\"sequence\"");
    JsonNode nsp =
        post(
            base.resolve("/nsp"),
            "{\"first\": \"서울은 대한민국의 수도이다.\", \"second\": \"서울에는 한강이 흐른다.\"}");
    assertThat(nsp.path("probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(nsp.path("logits")).hasSize(2);

    // a second version, published while clients keep asking
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    ConcurrentHashMap<String, Integer> servedBy = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread client =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(base.resolve(FILL_MASK))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      failures.incrementAndGet();
                    } else {
                      answered.incrementAndGet();
                      servedBy.merge(
                          Json.MAPPER.readTree(r.body()).path("version").asText(), 1, Integer::sum);
                    }
                  } catch (IOException e) {
                    failures.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    cli(
        "train",
        "--data",
        data.toString(),
        "--config",
        config.toString(),
        "--out",
        work.resolve("run2").toString(),
        "--max-steps",
        "20",
        "--device",
        "cpu");
    String second =
        versionIn(
            cli(
                "export",
                "--run",
                work.resolve("run2").toString(),
                "--store",
                store,
                "--model",
                MODEL,
                "--promote",
                "always"));
    awaitVersion(base, second, Duration.ofMinutes(1));
    Thread.sleep(500);
    running.set(false);
    for (Thread client : clients) {
      client.join();
    }

    assertThat(failures.get()).as("failed requests during the swap").isZero();
    assertThat(servedBy).containsKeys(first, second);
    assertThat(answered.get()).isGreaterThan(10);
  }

  /**
   * Runs the trainer command line in this JVM; fails the test with its error output unless it
   * succeeds.
   */
  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MiniBertCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as("minibert %s: %s", args[0], err).isZero();
    return out.toString();
  }

  private static String versionIn(String exportOutput) {
    int at = exportOutput.indexOf("/versions/");
    assertThat(at).as(exportOutput).isPositive();
    return exportOutput.substring(at + "/versions/".length()).split("\\s")[0];
  }

  /**
   * The packaged service (its target/quarkus-app), as a user runs it, with the store and S3
   * settings of this test.
   */
  private ServiceProcess startService(String store) throws IOException {
    return ServiceProcess.builder()
        .port(0)
        .javaOptions("-Xmx512m")
        .setting("minibert.store", store)
        .setting("minibert.model", MODEL)
        .setting("minibert.device", "cpu")
        .setting("minibert.poll-interval", "500ms")
        .setting("minibert.cache-dir", work.resolve("cache").toString())
        .environment("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString())
        .environment("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY)
        .environment("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY)
        .environment("AWS_REGION", "us-east-1")
        .logTo(work.resolve("service.log"))
        .start();
  }

  private void awaitVersion(URI base, String version, Duration timeout) throws Exception {
    Instant until = Instant.now().plus(timeout);
    String seen = "none";
    while (Instant.now().isBefore(until)) {
      assertThat(service.process().isAlive()).as("the service exited; log: %s", log()).isTrue();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/model"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          seen = Json.MAPPER.readTree(r.body()).path("version").asText();
          if (seen.equals(version)) {
            return;
          }
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the service did not serve "
            + version
            + " in time (it serves "
            + seen
            + "); log: "
            + log());
  }

  private String log() {
    return service.log();
  }

  private JsonNode get(URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private JsonNode post(URI uri, String json) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private static Path sampleCorpus() {
    return Path.of(
        System.getProperty("maven.multiModuleProjectDirectory", ".."),
        "samples",
        "kowiki-sample.xml");
  }
}
