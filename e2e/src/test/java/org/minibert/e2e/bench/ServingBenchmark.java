package org.minibert.e2e.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.e2e.ExportModel;
import org.minibert.inference.service.MaskedText;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;
import org.minibert.trainer.export.RunPublisher;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.run.TrainedRun;

/**
 * {@code GET /fill-mask} through the HTTP service against raw ONNX Runtime in-process, on the same
 * sentences and the same model, at 1, 8 and 32 concurrent clients (the two side by side per
 * concurrency); prints a table and writes a markdown report. Run it with {@code
 * inference-service/bench.sh} (README "Benchmark").
 *
 * <p>Raw in-process: each client thread tokenizes its sentence, runs the ONNX Runtime session on it
 * alone (batch of one, one intra-op thread, as the service's session) and takes the top 5 of the
 * mask, in a closed loop. Service: a separate JVM started from the Quarkus fast-jar, loaded by
 * keep-alive HTTP/1.1 connections from this JVM (the same 2-core machine), one closed loop per
 * connection. With {@code -Dbench.run=RUN} the model is that trained run, and DJL in-process rows
 * (the trained checkpoint on PyTorch, batch of one) are added.
 */
public final class ServingBenchmark {
  private static final int[] CONCURRENCY =
      java.util.Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
          .mapToInt(c -> Integer.parseInt(c.strip()))
          .toArray();

  private ServingBenchmark() {}

  private static String loadBefore = "";

  public static void main(String[] args) throws Exception {
    loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    Duration warmup = Duration.ofSeconds(3);
    String config = System.getProperty("bench.config", "deep-6L-96D");
    int vocab = Integer.getInteger("bench.vocab", 8000);
    Path work = root.resolve("e2e/target/bench");
    Path folder = work.resolve("model-" + config);
    Path corpus = root.resolve("samples/kowiki-sample.xml");
    Path store = work.resolve("store");
    String storeUri = System.getProperty("bench.store", store.toString());

    // 1. the model: a trained run (bench.run: exported by the project's exporter, and also served
    // by DJL in-process),
    //    a given store, or the shipped 6-layer shape with random weights
    String runDir = System.getProperty("bench.run");
    if (runDir != null) {
      org.minibert.core.io.FileTrees.deleteRecursively(store);
      try (ObjectStore s = ObjectStores.open(store.toString())) {
        RunPublisher.publish(Path.of(runDir), new ModelRepository(s, "minibert"), Promotion.ALWAYS);
      }
    } else if (System.getProperty("bench.store") == null
        && !Files.isRegularFile(store.resolve("minibert/LATEST"))) {
      ExportModel.export(folder, config, vocab, corpus);
      try (ObjectStore s = ObjectStores.open(store.toString())) {
        ExportModel.publish(new ModelRepository(s, "minibert"), folder);
      }
    }
    Path local;
    String version;
    try (ObjectStore s = ObjectStores.open(storeUri)) {
      ModelRepository repository = new ModelRepository(s, "minibert");
      version = repository.latest().orElseThrow();
      local = repository.fetch(version, work.resolve("cache"));
    }
    List<String> sentences = sentences(corpus, 256);
    System.out.printf("model %s (%s), %d sentences%n", version, local, sentences.size());

    // 2. the service in its own JVM (idle while the raw rows run), then raw and HTTP rows side by
    // side per
    //    concurrency, so that a change in the machine's load hits both halves of a ratio alike
    Path jar = root.resolve("inference-service/target/quarkus-app/quarkus-run.jar");
    int port = Integer.getInteger("bench.port", 18089);
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx" + System.getProperty("bench.service.xmx", "256m"),
                "-Dminibert.store=" + storeUri,
                "-Dminibert.cache-dir=" + work.resolve("service-cache"),
                "-Dminibert.poll-interval=0",
                "-Dquarkus.http.port=" + port));
    String serviceOptions = System.getProperty("bench.service.opts", "").strip();
    if (!serviceOptions.isEmpty()) {
      command.addAll(List.of(serviceOptions.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    Process service =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("service.log").toFile())
            .start();
    List<Row> rows = new ArrayList<>();
    long rss;
    try (BertTokenizer tokenizer = BertTokenizer.load(local.resolve(ModelLayout.TOKENIZER_JSON));
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      waitReady(port, Duration.ofSeconds(120), service);
      List<String> paths = HttpLoad.paths(sentences);
      try (OrtSession session =
          env.createSession(local.resolve(ModelLayout.MODEL_ONNX).toString(), options)) {
        for (int clients : CONCURRENCY) {
          rows.add(
              run(
                  "raw ONNX Runtime (in-process)",
                  clients,
                  warmup,
                  measure,
                  sentences.size(),
                  () -> (i) -> rawFillMask(env, session, tokenizer, sentences.get(i))));
          rows.add(
              run(
                  "HTTP service GET /fill-mask",
                  clients,
                  warmup,
                  measure,
                  paths.size(),
                  () -> {
                    HttpLoad.Connection connection = new HttpLoad.Connection("127.0.0.1", port);
                    return (i) -> {
                      int status = connection.get(paths.get(i));
                      if (status != 200) {
                        throw new IOException("HTTP " + status);
                      }
                    };
                  }));
        }
      }
      rss = residentKb(service.pid());
      if (runDir != null) {
        rows.addAll(djlRows(Path.of(runDir), tokenizer, sentences, warmup, measure));
      }
    } finally {
      service.destroy();
      service.waitFor(20, TimeUnit.SECONDS);
    }
    String report = report(version, local, rows, rss, measure);
    System.out.println(report);
    Path out = work.resolve("benchmark.md");
    Files.writeString(out, report);
    System.out.println("written to " + out);
  }

  interface Call {
    void call(int sentence) throws Exception;
  }

  interface ClientFactory {
    Call open() throws Exception;
  }

  record Row(
      String what,
      int clients,
      double perSecond,
      double p50Ms,
      double p99Ms,
      long requests,
      long errors) {}

  /** A closed loop per client: warm-up, then measure; latencies of the measured calls only. */
  static Row run(
      String what,
      int clients,
      Duration warmup,
      Duration measure,
      int sentences,
      ClientFactory factory)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      results.add(
          pool.submit(
              () -> {
                Call call = factory.open();
                long[] latencies = new long[1 << 20];
                int n = 0;
                long errors = 0;
                for (int i = client * 31; running.get(); i++) {
                  long start = System.nanoTime();
                  try {
                    call.call(i % sentences);
                  } catch (Exception e) {
                    errors++;
                  }
                  if (measuring.get() && n < latencies.length - 1) {
                    latencies[n++] = System.nanoTime() - start;
                  }
                }
                long[] out = Arrays.copyOf(latencies, n + 1);
                out[n] = errors; // the last slot carries the error count
                return out;
              }));
    }
    Thread.sleep(warmup.toMillis());
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    measuring.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    List<Long> all = new ArrayList<>();
    long errors = 0;
    for (Future<long[]> result : results) {
      long[] latencies = result.get();
      for (int i = 0; i < latencies.length - 1; i++) {
        all.add(latencies[i]);
      }
      errors += latencies[latencies.length - 1];
    }
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    Row row =
        new Row(
            what,
            clients,
            sorted.length / seconds,
            percentile(sorted, 0.50),
            percentile(sorted, 0.99),
            sorted.length,
            errors);
    System.out.printf(
        "%-32s %3d clients: %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d errors)%n",
        what, clients, row.perSecond(), row.p50Ms(), row.p99Ms(), row.requests(), row.errors());
    return row;
  }

  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /**
   * Tokenize, run alone, top-5 of the mask: what one request costs without the service around it.
   */
  static void rawFillMask(
      OrtEnvironment env, OrtSession session, BertTokenizer tokenizer, String text)
      throws Exception {
    Encoded encoded = tokenizer.encode(text);
    long[] shape = {1, encoded.length()};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(
          "input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.ids())), shape));
      inputs.put(
          "attention_mask",
          OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.attentionMask())), shape));
      inputs.put(
          "token_type_ids",
          OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.typeIds())), shape));
      try (OrtSession.Result result = session.run(inputs, java.util.Set.of("logits"))) {
        java.nio.FloatBuffer logits = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int vocab = tokenizer.vocabSize();
        for (MaskSlot slot : MaskSlot.find(encoded, tokenizer)) {
          int position = slot.position();
          float[] row = new float[vocab];
          logits.get(position * vocab, row);
          MaskedText.candidates(
              row,
              5,
              null,
              slot,
              tokenizer,
              text,
              encoded.starts()[position],
              encoded.ends()[position]);
        }
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * The same model served the way a user without an ONNX export would: DJL's PyTorch engine
   * in-process, the trained checkpoint, one request per forward pass (batch of one), no gradients,
   * same tokenizer and top-5.
   */
  static List<Row> djlRows(
      Path run, BertTokenizer tokenizer, List<String> sentences, Duration warmup, Duration measure)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainedRun trained = TrainedRun.load(run, manager);
      for (int clients : CONCURRENCY) {
        rows.add(
            run(
                "DJL PyTorch (in-process)",
                clients,
                warmup,
                measure,
                sentences.size(),
                () -> {
                  ParameterStore ps = new ParameterStore(manager, false);
                  return (i) ->
                      djlFillMask(trained.model(), ps, manager, tokenizer, sentences.get(i));
                }));
      }
    }
    return rows;
  }

  static void djlFillMask(
      BertForPreTraining model,
      ParameterStore ps,
      NDManager manager,
      BertTokenizer tokenizer,
      String text) {
    Encoded encoded = tokenizer.encode(text);
    List<MaskSlot> slots = MaskSlot.find(encoded, tokenizer);
    int[] masks = slots.stream().mapToInt(MaskSlot::position).toArray();
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(1, encoded.length());
      NDArray logits =
          model
              .forward(
                  ps,
                  scope.create(encoded.ids(), shape),
                  scope.create(encoded.typeIds(), shape),
                  scope.create(encoded.attentionMask(), shape),
                  scope.create(masks, new Shape(1, masks.length)),
                  false)
              .get(0);
      for (int m = 0; m < masks.length; m++) {
        MaskedText.candidates(
            logits.get(0, m).toFloatArray(),
            5,
            null,
            slots.get(m),
            tokenizer,
            text,
            encoded.starts()[masks[m]],
            encoded.ends()[masks[m]]);
      }
    }
  }

  private static long[] longs(int[] values) {
    return Arrays.stream(values).asLongStream().toArray();
  }

  /** Sentences of the sample corpus with their middle word replaced by [MASK]. */
  public static List<String> sentences(Path corpus, int count) {
    List<String> out = new ArrayList<>();
    Corpus.read(
        List.of(corpus),
        document -> {
          for (String sentence : document.sentences()) {
            String[] words = sentence.strip().split("\\s+");
            if (out.size() < count && words.length >= 4 && sentence.length() <= 120) {
              words[words.length / 2] = SpecialTokens.MASK;
              out.add(String.join(" ", words));
            }
          }
        },
        new CorpusStats());
    return out;
  }

  static void waitReady(int port, Duration timeout, Process service) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + service.exitValue() + "; see its log");
      }
      try (HttpLoad.Connection connection = new HttpLoad.Connection("127.0.0.1", port)) {
        if (connection.get("/q/health/ready") == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the service did not become ready in "
            + timeout.toSeconds()
            + " s; see e2e/target/bench/service.log");
  }

  static long residentKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static String report(String version, Path model, List<Row> rows, long rssKb, Duration measure)
      throws IOException {
    String config =
        Files.readString(model.resolve(ModelLayout.CONFIG_JSON)).replaceAll("\\s+", " ");
    StringBuilder md = new StringBuilder();
    md.append("# Inference benchmark: GET /fill-mask vs raw ONNX Runtime\n\n");
    md.append("- date: ").append(Instant.now()).append('\n');
    md.append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPU cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("; load generator in the same machine\n");
    md.append("- load average before / after the run: ")
        .append(loadBefore)
        .append(" / ")
        .append(Files.readString(Path.of("/proc/loadavg")).strip())
        .append(" (other work on the machine lowers both halves of a ratio, not always equally)\n");
    md.append("- service options: ")
        .append(System.getProperty("bench.service.opts", "(defaults)"))
        .append('\n');
    md.append("- model: ").append(version).append(", config ").append(config).append('\n');
    md.append("- each row: 3 s warm-up, ")
        .append(measure.toSeconds())
        .append(
            " s measured, closed loop per client, top_k 5, sentences of"
                + " samples/kowiki-sample.xml\n\n");
    md.append("| path | clients | req/s | p50 ms | p99 ms | requests | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              "| %s | %d | %.1f | %.2f | %.2f | %d | %d |%n",
              r.what(),
              r.clients(),
              r.perSecond(),
              r.p50Ms(),
              r.p99Ms(),
              r.requests(),
              r.errors()));
    }
    md.append('\n');
    double bestRaw =
        rows.stream()
            .filter(r -> r.what().startsWith("raw"))
            .mapToDouble(Row::perSecond)
            .max()
            .orElse(Double.NaN);
    for (int clients : CONCURRENCY) {
      Row raw = find(rows, "raw", clients);
      Row http = find(rows, "HTTP", clients);
      md.append(
          String.format(
              "- %d clients: service / raw at the same concurrency = **%.2f**; service / best raw"
                  + " (%.1f req/s) = **%.2f**; service p99 %.2f ms%n",
              clients,
              http.perSecond() / raw.perSecond(),
              bestRaw,
              http.perSecond() / bestRaw,
              http.p99Ms()));
    }
    for (int clients : CONCURRENCY) {
      rows.stream()
          .filter(r -> r.what().startsWith("DJL") && r.clients() == clients)
          .findFirst()
          .ifPresent(
              djl ->
                  md.append(
                      String.format(
                          "- %d clients: DJL in-process / raw ONNX Runtime = **%.2f**; DJL p99 %.2f"
                              + " ms%n",
                          clients,
                          djl.perSecond() / find(rows, "raw", clients).perSecond(),
                          djl.p99Ms())));
    }
    md.append(String.format("- service resident memory after the runs: %.0f MB%n", rssKb / 1024.0));
    return md.toString();
  }

  private static Row find(List<Row> rows, String prefix, int clients) {
    return rows.stream()
        .filter(r -> r.what().startsWith(prefix) && r.clients() == clients)
        .findFirst()
        .orElseThrow();
  }
}
