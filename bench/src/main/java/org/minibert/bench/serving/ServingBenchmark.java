package org.minibert.bench.serving;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.minibert.bench.ExportModel;
import org.minibert.cli.service.ServiceProcess;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.OnnxContract;
import org.minibert.core.registry.Promotion;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.inference.onnx.MaskScores;
import org.minibert.inference.service.MaskedText;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;
import org.minibert.trainer.export.RunPublisher;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.run.TrainedRun;

/**
 * {@code GET /fill-mask} through the HTTP service against raw ONNX Runtime in-process (the same
 * graph as the service: {@code model.serving.onnx} when the version has it), a Node server around
 * transformers.js' fill-mask pipeline on the same version folder ({@code -Dbench.tjs=FOLDER}, where
 * bench.sh installs it), and DJL in-process ({@code -Dbench.run=RUN}), on a short and on ~100-token
 * inputs, at 1, 8 and 32 concurrent clients, all rows of one concurrency and input side by side;
 * samples each process's resident memory; prints a table and writes a markdown report. Run it with
 * {@code bench/serving.sh} (bench/README.md).
 *
 * <p>Raw in-process: each client thread tokenizes its text, runs the ONNX Runtime session on it
 * alone (batch of one, one intra-op thread, as the service's session) and takes the top 5 of each
 * mask, in a closed loop. Servers: separate processes (the service from the Quarkus fast-jar with
 * -Xmx512m -XX:MaxDirectMemorySize=128m as {@code bin/minibert serve}), loaded by keep-alive
 * HTTP/1.1 connections from this JVM (the same machine), one closed loop per connection.
 */
public final class ServingBenchmark {
  private static final int[] CONCURRENCY =
      java.util.Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
          .mapToInt(c -> Integer.parseInt(c.strip()))
          .toArray();

  private ServingBenchmark() {}

  private static String loadBefore = "";

  /** Once per path, before its rows (bench.jit-warmup seconds; half short, half long inputs). */
  private static final Duration JIT_WARMUP =
      Duration.ofSeconds(Long.getLong("bench.jit-warmup", 40));

  public static void main(String[] args) throws Exception {
    loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    Duration warmup = Duration.ofSeconds(3);
    String config = System.getProperty("bench.config", "deep-6L-96D");
    int vocab = Integer.getInteger("bench.vocab", 8000);
    Path work = root.resolve("bench/target/serving");
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
    List<Row> rows = new ArrayList<>();
    Map<String, Long> rssKb = new LinkedHashMap<>();
    try (BertTokenizer tokenizer = BertTokenizer.load(local.resolve(ModelLayout.TOKENIZER_JSON))) {
      Map<String, List<String>> inputs = new LinkedHashMap<>();
      inputs.put("short", List.of(SHORT_TEXT));
      inputs.put("long", longTexts(corpus, tokenizer, LONG_TOKENS, 32));
      System.out.printf(
          "model %s (%s); short: %s (%d tokens); long: %d texts of %d-%d tokens%n",
          version,
          local,
          SHORT_TEXT,
          tokenizer.encode(SHORT_TEXT).length(),
          inputs.get("long").size(),
          inputs.get("long").stream().mapToInt(t -> tokenizer.encode(t).length()).min().orElse(0),
          inputs.get("long").stream().mapToInt(t -> tokenizer.encode(t).length()).max().orElse(0));

      // 2. the servers in their own processes (idle while the other rows run), then the rows side
      // by side per concurrency and input, so that a change in the machine's load hits every row
      // alike
      List<Process> servers = new ArrayList<>();
      Map<String, Integer> ports = new LinkedHashMap<>();
      Map<String, String> internals = new LinkedHashMap<>();
      long servicePid = -1;
      int serviceMetricsPort = -1;
      try (ResidentMemory memory = new ResidentMemory()) {
        memory.watch(IN_PROCESS, ProcessHandle.current().pid());
        if (ROWS.contains("service")) {
          int port = Integer.getInteger("bench.port", 18089);
          ServiceProcess started =
              startService(work, storeUri, port).awaitReady(Duration.ofSeconds(120));
          Process service = started.process();
          serviceMetricsPort = started.managementUri().getPort();
          servers.add(service);
          ports.put(SERVICE, port);
          memory.watch(SERVICE, service.pid());
          servicePid = service.pid();
        }
        String tjs = System.getProperty("bench.tjs");
        if (tjs != null && ROWS.contains("tjs")) {
          int port = Integer.getInteger("bench.tjs.port", 18090);
          Process node =
              new ProcessBuilder(
                      "node",
                      Path.of(tjs).resolve("fill-mask-server.mjs").toString(),
                      local.toString(),
                      String.valueOf(port))
                  .redirectErrorStream(true)
                  .redirectOutput(work.resolve("transformers-js.log").toFile())
                  .start();
          servers.add(node);
          waitReady(port, "/health", Duration.ofSeconds(120), node);
          ports.put(TRANSFORMERS_JS, port);
          memory.watch(TRANSFORMERS_JS, node.pid());
        }
        Path graph =
            local.resolve(
                Files.isRegularFile(local.resolve(ModelLayout.MODEL_SERVING_ONNX))
                    ? ModelLayout.MODEL_SERVING_ONNX
                    : ModelLayout.MODEL_ONNX);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
          options.setIntraOpNumThreads(1);
          options.setInterOpNumThreads(1);
          options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
          try (OrtSession session = env.createSession(graph.toString(), options)) {
            // each path once at 8 clients before its rows: HotSpot's C2 compiler takes about 30 s
            // of load on 2 cores to finish with the service (Quarkus, Vert.x, Netty), and while it
            // works it takes a core from the path being measured; a 3 s row warm-up alone left the
            // service's figures 30-50% low and varying from run to run
            if (JIT_WARMUP.toSeconds() > 0) {
              for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
                List<String> texts = input.getValue();
                List<String> paths = HttpLoad.paths(texts);
                Duration half = JIT_WARMUP.dividedBy(2);
                if (ROWS.contains("raw")) {
                  run(
                      "warm-up",
                      input.getKey(),
                      8,
                      half,
                      Duration.ZERO,
                      texts.size(),
                      () -> rawCall(env, session, tokenizer, texts));
                }
                for (Map.Entry<String, Integer> server : ports.entrySet()) {
                  run(
                      "warm-up",
                      input.getKey(),
                      8,
                      half,
                      Duration.ZERO,
                      paths.size(),
                      () -> httpCall(server.getValue(), paths));
                }
              }
            }
            for (int clients : CONCURRENCY) {
              for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
                List<String> texts = input.getValue();
                List<String> paths = HttpLoad.paths(texts);
                if (ROWS.contains("raw")) {
                  rows.add(
                      run(
                          RAW + " (" + graph.getFileName() + ")",
                          input.getKey(),
                          clients,
                          warmup,
                          measure,
                          texts.size(),
                          () -> rawCall(env, session, tokenizer, texts)));
                }
                for (Map.Entry<String, Integer> server : ports.entrySet()) {
                  boolean service = server.getKey().equals(SERVICE);
                  ServiceInternals.Snapshot before =
                      service ? ServiceInternals.take(serviceMetricsPort, servicePid) : null;
                  rows.add(
                      run(
                          server.getKey(),
                          input.getKey(),
                          clients,
                          warmup,
                          measure,
                          paths.size(),
                          () -> httpCall(server.getValue(), paths)));
                  if (service) {
                    internals.put(
                        clients + " clients, " + input.getKey(),
                        ServiceInternals.between(
                            before, ServiceInternals.take(serviceMetricsPort, servicePid)));
                  }
                }
              }
            }
          }
        }
        if (runDir != null && ROWS.contains("djl")) {
          rows.addAll(djlRows(Path.of(runDir), tokenizer, inputs, warmup, measure));
        }
        rssKb.putAll(memory.peaks());
      } finally {
        for (Process server : servers) {
          server.destroy();
          server.waitFor(20, TimeUnit.SECONDS);
        }
      }
      String report =
          report(version, local, graph(local), inputs, tokenizer, rows, internals, rssKb, measure);
      System.out.println(report);
      Path out = Path.of(System.getProperty("bench.out", work.resolve("benchmark.md").toString()));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.println("written to " + out);
    }
  }

  /** One in-process client of raw ONNX Runtime: fill-mask of {@code texts[i]}. */
  private static Call rawCall(
      OrtEnvironment env, OrtSession session, BertTokenizer tokenizer, List<String> texts) {
    return (i) -> rawFillMask(env, session, tokenizer, texts.get(i));
  }

  /** One keep-alive connection's GET of {@code paths[i]}; anything but 200 is an error. */
  private static Call httpCall(int port, List<String> paths) throws IOException {
    HttpLoad.Connection connection = new HttpLoad.Connection("127.0.0.1", port);
    return (i) -> {
      int status = connection.get(paths.get(i));
      if (status != 200) {
        throw new IOException("HTTP " + status);
      }
    };
  }

  static final String SHORT_TEXT = "대한민국의 수도는 [MASK]이다.";

  /** How long the long inputs are, in tokens ([CLS] and [SEP] included), at least. */
  static final int LONG_TOKENS = 100;

  static final String RAW = "raw ONNX Runtime in-process";
  static final String SERVICE = "HTTP service GET /fill-mask";
  static final String TRANSFORMERS_JS = "transformers.js server (Node)";
  static final String IN_PROCESS = "benchmark JVM (raw ORT, DJL)";

  /** Which rows to run: raw, service, tjs, djl (bench.rows, default all). */
  static final List<String> ROWS =
      List.of(System.getProperty("bench.rows", "raw,service,tjs,djl").split(","));

  /** The service's settings under test ({@code $BENCH_SERVICE_OPTS}, e.g. for A/B runs). */
  static String serviceOptions() {
    return System.getenv().getOrDefault("BENCH_SERVICE_OPTS", "").strip();
  }

  /** The packaged service, with {@link #serviceOptions()} added to its JVM's options. */
  private static ServiceProcess startService(Path work, String storeUri, int port)
      throws IOException {
    String javaOptions =
        "-Xmx"
            + System.getProperty("bench.service.xmx", "512m")
            + " -XX:MaxDirectMemorySize=128m "
            + serviceOptions();
    return ServiceProcess.builder()
        .port(port)
        .managementPort(0)
        .javaOptions(javaOptions)
        .setting("minibert.store", storeUri)
        .setting("minibert.cache-dir", work.resolve("service-cache").toString())
        .setting("minibert.poll-interval", "0")
        .logTo(work.resolve("service.log"))
        .start();
  }

  private static String graph(Path local) {
    return Files.isRegularFile(local.resolve(ModelLayout.MODEL_SERVING_ONNX))
        ? ModelLayout.MODEL_SERVING_ONNX
        : ModelLayout.MODEL_ONNX;
  }

  /**
   * Texts of at least {@code tokens} tokens (and at most 126): consecutive sentences of the sample
   * corpus joined, the middle word of the whole replaced by [MASK].
   */
  static List<String> longTexts(Path corpus, BertTokenizer tokenizer, int tokens, int count) {
    List<String> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Corpus.read(
        List.of(corpus),
        document -> {
          for (String sentence : document.sentences()) {
            if (out.size() >= count) {
              return;
            }
            text.append(text.length() == 0 ? "" : " ").append(sentence.strip());
            int length = tokenizer.encode(text.toString()).length();
            if (length > 126) {
              text.setLength(0);
            } else if (length >= tokens) {
              String[] words = text.toString().split("\\s+");
              words[words.length / 2] = SpecialTokens.MASK;
              out.add(String.join(" ", words));
              text.setLength(0);
            }
          }
        },
        new CorpusStats());
    return out;
  }

  /** Samples the resident memory of processes every 200 ms; keeps each one's peak. */
  static final class ResidentMemory implements AutoCloseable {
    private final Map<String, Long> pids = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> peaks = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor();

    ResidentMemory() {
      sampler.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    void watch(String name, long pid) {
      pids.put(name, pid);
    }

    private void sample() {
      pids.forEach(
          (name, pid) -> {
            try {
              peaks.merge(name, residentKb(pid), Math::max);
            } catch (IOException | RuntimeException gone) {
              // exited
            }
          });
    }

    Map<String, Long> peaks() {
      sample();
      return new LinkedHashMap<>(peaks);
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }

  interface Call {
    void call(int sentence) throws Exception;
  }

  interface ClientFactory {
    Call open() throws Exception;
  }

  record Row(
      String what,
      String input,
      int clients,
      double perSecond,
      double p50Ms,
      double p99Ms,
      long requests,
      long errors) {}

  /** A closed loop per client: warm-up, then measure; latencies of the measured calls only. */
  static Row run(
      String what,
      String input,
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
            input,
            clients,
            sorted.length / seconds,
            percentile(sorted, 0.50),
            percentile(sorted, 0.99),
            sorted.length,
            errors);
    System.out.printf(
        "%-48s %-5s %3d clients: %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d"
            + " errors)%n",
        what,
        input,
        clients,
        row.perSecond(),
        row.p50Ms(),
        row.p99Ms(),
        row.requests(),
        row.errors());
    return row;
  }

  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /**
   * Tokenize, run alone, top-5 of each mask: what one request costs without the service around it.
   * With the serving graph the masks' positions go in and their scores come out; with {@code
   * model.onnx} the scores of every position come out.
   */
  static void rawFillMask(
      OrtEnvironment env, OrtSession session, BertTokenizer tokenizer, String text)
      throws Exception {
    Encoded encoded = tokenizer.encode(text);
    List<MaskSlot> slots = MaskSlot.find(encoded, tokenizer);
    boolean serving = session.getInputNames().contains(OnnxContract.MASK_POSITIONS);
    long[] shape = {1, encoded.length()};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(
          OnnxContract.INPUT_IDS,
          OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.ids())), shape));
      inputs.put(
          OnnxContract.ATTENTION_MASK,
          OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.attentionMask())), shape));
      inputs.put(
          OnnxContract.TOKEN_TYPE_IDS,
          OnnxTensor.createTensor(env, LongBuffer.wrap(longs(encoded.typeIds())), shape));
      if (serving) {
        long[] pairs = new long[slots.size() * 2];
        for (int m = 0; m < slots.size(); m++) {
          pairs[2 * m + 1] = slots.get(m).position();
        }
        inputs.put(
            OnnxContract.MASK_POSITIONS,
            OnnxTensor.createTensor(env, LongBuffer.wrap(pairs), new long[] {slots.size(), 2}));
      }
      String output = OnnxContract.LOGITS;
      if (serving) {
        output =
            session.getOutputNames().contains(OnnxContract.MASK_LOG_PROBS)
                ? OnnxContract.MASK_LOG_PROBS
                : OnnxContract.MASK_LOGITS;
      }
      try (OrtSession.Result result = session.run(inputs, java.util.Set.of(output))) {
        java.nio.FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int vocab = tokenizer.vocabSize();
        for (int m = 0; m < slots.size(); m++) {
          MaskSlot slot = slots.get(m);
          int position = slot.position();
          float[] row = new float[vocab];
          scores.get((serving ? m : position) * vocab, row);
          MaskedText.candidates(
              new MaskScores(row, OnnxContract.MASK_LOG_PROBS.equals(output)),
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
      Path run,
      BertTokenizer tokenizer,
      Map<String, List<String>> inputs,
      Duration warmup,
      Duration measure)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainedRun trained = TrainedRun.load(run, manager);
      for (int clients : CONCURRENCY) {
        for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
          List<String> texts = input.getValue();
          rows.add(
              run(
                  "DJL PyTorch in-process",
                  input.getKey(),
                  clients,
                  warmup,
                  measure,
                  texts.size(),
                  () -> {
                    ParameterStore ps = new ParameterStore(manager, false);
                    return (i) ->
                        djlFillMask(trained.model(), ps, manager, tokenizer, texts.get(i));
                  }));
        }
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
            new MaskScores(logits.get(0, m).toFloatArray(), false),
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

  static void waitReady(int port, String path, Duration timeout, Process service) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            "a server exited with "
                + service.exitValue()
                + "; see its log in bench/target/serving");
      }
      try (HttpLoad.Connection connection = new HttpLoad.Connection("127.0.0.1", port)) {
        if (connection.get(path) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "a server did not become ready on port "
            + port
            + " in "
            + timeout.toSeconds()
            + " s; see its log in bench/target/serving");
  }

  static long residentKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static String report(
      String version,
      Path model,
      String graph,
      Map<String, List<String>> inputs,
      BertTokenizer tokenizer,
      List<Row> rows,
      Map<String, String> internals,
      Map<String, Long> rssKb,
      Duration measure)
      throws IOException {
    String config =
        Files.readString(model.resolve(ModelLayout.CONFIG_JSON)).replaceAll("\\s+", " ");
    StringBuilder md = new StringBuilder();
    md.append("# Serving benchmark: GET /fill-mask, raw ONNX Runtime, transformers.js, DJL\n\n");
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
        .append(" (other work on the machine lowers every row, not always equally)\n");
    md.append("- service options: ")
        .append(serviceOptions().isBlank() ? "(defaults)" : serviceOptions())
        .append("; the service and raw ONNX Runtime run ")
        .append(graph)
        .append(", transformers.js runs model.onnx (its pipeline's layout)\n");
    md.append("- model: ").append(version).append(", config ").append(config).append('\n');
    for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
      int[] lengths =
          input.getValue().stream().mapToInt(t -> tokenizer.encode(t).length()).toArray();
      md.append(
          String.format(
              "- input %s: %d text(s) of %d-%d tokens%s%n",
              input.getKey(),
              lengths.length,
              Arrays.stream(lengths).min().orElse(0),
              Arrays.stream(lengths).max().orElse(0),
              lengths.length == 1 ? ", `" + input.getValue().get(0) + "`" : ""));
    }
    md.append("- each path first ")
        .append(JIT_WARMUP.toSeconds())
        .append(
            " s at 8 clients (half short, half long: the JIT compilers finish), then each row: 3 s"
                + " warm-up, ")
        .append(measure.toSeconds())
        .append(
            " s measured, closed loop per client (HTTP: one keep-alive connection each), top_k"
                + " 5\n\n");
    md.append("| path | input | clients | req/s | p50 ms | p99 ms | requests | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              "| %s | %s | %d | %.1f | %.2f | %.2f | %d | %d |%n",
              r.what(),
              r.input(),
              r.clients(),
              r.perSecond(),
              r.p50Ms(),
              r.p99Ms(),
              r.requests(),
              r.errors()));
    }
    md.append('\n');
    for (int clients : CONCURRENCY) {
      for (String input : inputs.keySet()) {
        Row http = find(rows, SERVICE, input, clients);
        if (http == null) {
          continue;
        }
        StringBuilder line =
            new StringBuilder(String.format("- %d clients, %s: service", clients, input));
        Row raw = find(rows, RAW, input, clients);
        if (raw != null) {
          line.append(String.format(" / raw ORT = **%.2f**", http.perSecond() / raw.perSecond()));
        }
        Row tjs = find(rows, TRANSFORMERS_JS, input, clients);
        if (tjs != null) {
          line.append(
              String.format(
                  ", service / transformers.js = **%.2f**", http.perSecond() / tjs.perSecond()));
        }
        Row djl = find(rows, "DJL", input, clients);
        if (djl != null) {
          line.append(
              String.format(", service / DJL = **%.2f**", http.perSecond() / djl.perSecond()));
        }
        line.append(String.format("; service p99 %.2f ms%n", http.p99Ms()));
        md.append(line);
      }
    }
    internals.forEach(
        (row, line) ->
            md.append("- inside the service, ").append(row).append(": ").append(line).append('\n'));
    for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
      double micros = jsonMicros(input.getValue().get(0));
      Row http = find(rows, SERVICE, input.getKey(), 8);
      md.append(
          String.format(
              "- JSON writing of one %s answer (5 candidates, each with its filled sequence): %.1f"
                  + " us%s%n",
              input.getKey(),
              micros,
              http == null
                  ? ""
                  : String.format(
                      ", %.1f%% of the machine's CPU at the service's 8-client rate",
                      100
                          * micros
                          * http.perSecond()
                          / 1e6
                          / Runtime.getRuntime().availableProcessors())));
    }
    rssKb.forEach(
        (name, kb) ->
            md.append(String.format("- peak resident memory, %s: %.0f MiB%n", name, kb / 1024.0)));
    return md.toString();
  }

  /** Microseconds to write the service's GET /fill-mask answer for this text (Jackson, warm). */
  static double jsonMicros(String text) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<org.minibert.inference.api.Dtos.Candidate> candidates = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      candidates.add(
          new org.minibert.inference.api.Dtos.Candidate(
              1000 + c, "서울" + c, 0.1 / (c + 1), text.replace(SpecialTokens.MASK, "서울" + c)));
    }
    org.minibert.inference.api.Dtos.FillMaskResponse answer =
        new org.minibert.inference.api.Dtos.FillMaskResponse(
            "minibert",
            "20261126T124905Z-3fa2c1",
            text,
            List.of(new org.minibert.inference.api.Dtos.Mask(5, 10, 16, candidates)));
    long bytes = 0;
    for (int i = 0; i < 20_000; i++) {
      bytes += mapper.writeValueAsBytes(answer).length;
    }
    int n = 50_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      bytes += mapper.writeValueAsBytes(answer).length;
    }
    double micros = (System.nanoTime() - start) / 1e3 / n;
    return bytes > 0 ? micros : Double.NaN;
  }

  private static Row find(List<Row> rows, String prefix, String input, int clients) {
    return rows.stream()
        .filter(
            r -> r.what().startsWith(prefix) && r.input().equals(input) && r.clients() == clients)
        .findFirst()
        .orElse(null);
  }
}
