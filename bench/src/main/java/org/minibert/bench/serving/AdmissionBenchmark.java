package org.minibert.bench.serving;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.VersionDetails;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;

/**
 * The packaged service with an API key set, from outside: which routes answer without a key, with a
 * wrong one and with the key; then 8 clients sending 64-text {@code POST /fill-mask} as fast as
 * they can beside a ninth sending one short {@code GET /fill-mask} every 50 ms, and how each was
 * answered. Prints a markdown report (and writes it to the second argument when given).
 *
 * <p>Usage, from the repository root: {@code bench/run
 * org.minibert.bench.serving.AdmissionBenchmark [SECONDS] [REPORT.md]} (builds the packaged service
 * on first use). The model is the service's tiny test model published to a fresh local store, or
 * {@code -Dbench.store=URI}; -Dbench.service.opts="-D..."} adds service settings, {@code
 * -Dbench.jar=PATH} runs another build of the service ({@code -Dbench.management=false} when it has
 * no management interface).
 */
public final class AdmissionBenchmark {
  static final int FLOOD_CLIENTS = 8;
  static final int FLOOD_TEXTS = 64;
  static final Duration SMALL_EVERY = Duration.ofMillis(50);
  static final String SHORT = "대한민국의 수도는 [MASK]이다.";

  private AdmissionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    Path work = Files.createDirectories(root.resolve("bench/target/admission"));
    String store = System.getProperty("bench.store", publishTinyModel(root, work));
    String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    int port = freePort();
    // health on its own port (the packaged service's management interface), or on the HTTP port
    // for a build without it (-Dbench.management=false, to measure a service from before it)
    int managementPort =
        Boolean.parseBoolean(System.getProperty("bench.management", "true")) ? freePort() : port;
    Process service = startService(root, work, store, key, port, managementPort);
    try {
      ServingBenchmark.waitReady(
          managementPort, "/q/health/ready", Duration.ofSeconds(120), service);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Map<String, int[]> auth = authentication(http, port, key);
      Map<String, Integer> open = new LinkedHashMap<>();
      open.put(
          "GET /q/health/ready" + (managementPort != port ? " (management port)" : ""),
          get(http, managementPort, "/q/health/ready", null).statusCode());
      open.put("GET /v2/health/ready", get(http, port, "/v2/health/ready", null).statusCode());
      open.put("GET / (playground page)", get(http, port, "/", null).statusCode());
      Flood flood = flood(port, key, measure);
      String report = report(measure, store, auth, open, flood);
      System.out.print(report);
      if (args.length > 1) {
        Files.writeString(Path.of(args[1]), report);
      }
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  /** Each inference route: its status without a key, with a wrong key, with the key. */
  static Map<String, int[]> authentication(HttpClient http, int port, String key) throws Exception {
    String infer =
        "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\""
            + SHORT
            + "\"]}]}";
    Map<String, String[]> routes = new LinkedHashMap<>();
    routes.put("GET /fill-mask", new String[] {"GET", "/fill-mask?text=" + encode(SHORT), null});
    routes.put("POST /fill-mask", new String[] {"POST", "/fill-mask", fillMaskBody(1)});
    routes.put(
        "POST /nsp",
        new String[] {"POST", "/nsp", "{\"first\": \"비가 왔다.\", \"second\": \"우산을 썼다.\"}"});
    routes.put("GET /model", new String[] {"GET", "/model", null});
    routes.put("GET /v2", new String[] {"GET", "/v2", null});
    routes.put("GET /v2/models/minibert", new String[] {"GET", "/v2/models/minibert", null});
    routes.put(
        "POST /v2/models/minibert/infer",
        new String[] {"POST", "/v2/models/minibert/infer", infer});
    routes.put("GET /q/openapi", new String[] {"GET", "/q/openapi", null});
    Map<String, int[]> statuses = new LinkedHashMap<>();
    for (var route : routes.entrySet()) {
      String[] r = route.getValue();
      int[] codes = new int[3];
      String[] keys = {null, "wrong-" + key, key};
      for (int i = 0; i < 3; i++) {
        codes[i] =
            r[0].equals("GET")
                ? get(http, port, r[1], keys[i]).statusCode()
                : post(http, port, r[1], r[2], keys[i]).statusCode();
      }
      statuses.put(route.getKey(), codes);
    }
    return statuses;
  }

  /** How the flood and the small client were answered. */
  record Flood(
      Map<Integer, Integer> floodStatuses,
      int floodWithoutRetryAfter,
      int smallSent,
      int smallAnswered,
      Map<Integer, Integer> smallStatuses,
      long[] smallMillis) {}

  static Flood flood(int port, String key, Duration measure) throws Exception {
    String body = fillMaskBody(FLOOD_TEXTS);
    Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
    AtomicInteger withoutRetryAfter = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(FLOOD_CLIENTS);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < FLOOD_CLIENTS; c++) {
      clients.add(
          pool.submit(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (running.get()) {
                  int status;
                  try {
                    HttpResponse<String> answer = post(http, port, "/fill-mask", body, key);
                    status = answer.statusCode();
                    if (status != 200 && answer.headers().firstValue("Retry-After").isEmpty()) {
                      withoutRetryAfter.incrementAndGet();
                    }
                  } catch (IOException e) {
                    status = -1; // no answer at all
                  }
                  floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
              }));
    }
    // the small client is an open loop: one request every 50 ms whether or not the last was
    // answered
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<long[]>> small = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + measure.toNanos();
    long next = start;
    while (next < end) {
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      next += SMALL_EVERY.toNanos();
      long t0 = System.nanoTime();
      small.add(
          http.sendAsync(
                  request(port, "/fill-mask?text=" + encode(SHORT), key).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .handle(
                  (answer, error) ->
                      new long[] {
                        error == null ? answer.statusCode() : -1,
                        (System.nanoTime() - t0) / 1_000_000
                      }));
    }
    Map<Integer, Integer> smallStatuses = new TreeMap<>();
    List<Long> millis = new ArrayList<>();
    int sent = small.size();
    int answered = 0;
    for (CompletableFuture<long[]> future : small) {
      long[] outcome = future.get();
      millis.add(outcome[1]);
      if (outcome[0] == 200) {
        answered++;
      }
      smallStatuses.merge((int) outcome[0], 1, Integer::sum);
    }
    running.set(false);
    for (Future<?> client : clients) {
      client.get();
    }
    pool.shutdown();
    Map<Integer, Integer> flood = new TreeMap<>();
    floodStatuses.forEach((status, count) -> flood.put(status, count.get()));
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Flood(flood, withoutRetryAfter.get(), sent, answered, smallStatuses, sorted);
  }

  static String report(
      Duration measure,
      String store,
      Map<String, int[]> auth,
      Map<String, Integer> open,
      Flood flood)
      throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# Authentication and admission, measured on the packaged service\n\n");
    out.append(
        String.format(
            "Machine: %d processors, load before %s; model store %s; key set through"
                + " MINIBERT_API_KEY.%n%n",
            Runtime.getRuntime().availableProcessors(),
            Files.readString(Path.of("/proc/loadavg")).strip(),
            store.contains("admission") ? "the tiny test model (fresh local store)" : store));
    out.append("| route | no key | wrong key | the key |\n|---|---|---|---|\n");
    auth.forEach(
        (route, codes) ->
            out.append(
                String.format("| %s | %d | %d | %d |%n", route, codes[0], codes[1], codes[2])));
    out.append("\n| open route, no key | status |\n|---|---|\n");
    open.forEach((route, code) -> out.append(String.format("| %s | %d |%n", route, code)));
    int floodTotal = flood.floodStatuses().values().stream().mapToInt(Integer::intValue).sum();
    out.append(
        String.format(
            "%n%d clients sending %d-text POST /fill-mask as fast as they can for %d s, beside a"
                + " client sending one short GET /fill-mask every %d ms (an open loop):%n%n",
            FLOOD_CLIENTS, FLOOD_TEXTS, measure.toSeconds(), SMALL_EVERY.toMillis()));
    out.append("| client | requests | answers by status | answered (200) |\n|---|---|---|---|\n");
    out.append(
        String.format(
            "| small (1 text) | %d | %s | %.1f%% (p50 %d ms, p99 %d ms, max %d ms) |%n",
            flood.smallSent(),
            flood.smallStatuses(),
            100.0 * flood.smallAnswered() / Math.max(1, flood.smallSent()),
            percentile(flood.smallMillis(), 0.50),
            percentile(flood.smallMillis(), 0.99),
            flood.smallMillis().length == 0
                ? 0
                : flood.smallMillis()[flood.smallMillis().length - 1]));
    out.append(
        String.format(
            "| flood (%d texts) | %d | %s | %.1f%%; refusals without Retry-After: %d |%n",
            FLOOD_TEXTS,
            floodTotal,
            flood.floodStatuses(),
            100.0 * flood.floodStatuses().getOrDefault(200, 0) / Math.max(1, floodTotal),
            flood.floodWithoutRetryAfter()));
    return out.toString();
  }

  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static Process startService(
      Path root, Path work, String store, String key, int port, int managementPort)
      throws IOException {
    Path jar =
        Path.of(
            System.getProperty(
                "bench.jar",
                root.resolve("inference-service/target/quarkus-app/quarkus-run.jar").toString()));
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx512m",
                "-XX:MaxDirectMemorySize=128m",
                "-Dminibert.store=" + store,
                "-Dminibert.cache-dir=" + work.resolve("cache"),
                "-Dminibert.poll-interval=0",
                "-Dquarkus.http.port=" + port));
    if (managementPort != port) {
      command.add("-Dquarkus.management.port=" + managementPort);
    }
    String options = System.getProperty("bench.service.opts", "").strip();
    if (!options.isEmpty()) {
      command.addAll(Arrays.asList(options.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("service.log").toFile());
    builder.environment().put("MINIBERT_API_KEY", key); // not on the command line
    return builder.start();
  }

  /** The service's tiny test model, published to a fresh local store; returns the store. */
  static String publishTinyModel(Path root, Path work) throws IOException {
    Path fixtures = root.resolve("inference-service/src/test/resources");
    Path store = work.resolve("store");
    org.minibert.core.io.FileTrees.deleteRecursively(store);
    Manifest.Parity parity =
        Json.read(fixtures.resolve("tiny-model.parity.json"), Manifest.Parity.class);
    try (ObjectStore s = ObjectStores.open(store.toString())) {
      new ModelRepository(s, "minibert")
          .publish(
              fixtures.resolve("tiny-model"),
              new VersionDetails(parity, new Manifest.Source("tiny-model", 0, "unknown"), null),
              Promotion.ALWAYS);
    }
    return store.toString();
  }

  static String fillMaskBody(int texts) {
    StringBuilder body = new StringBuilder("{\"inputs\": [");
    for (int i = 0; i < texts; i++) {
      body.append(i == 0 ? "" : ", ").append("\"나는 [MASK]에 간다. 문장 ").append(i).append('"');
    }
    return body.append("]}").toString();
  }

  static HttpResponse<String> get(HttpClient http, int port, String path, String key)
      throws IOException, InterruptedException {
    return send(http, request(port, path, key).GET());
  }

  static HttpResponse<String> post(HttpClient http, int port, String path, String json, String key)
      throws IOException, InterruptedException {
    return send(
        http,
        request(port, path, key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  private static HttpRequest.Builder request(int port, String path, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
