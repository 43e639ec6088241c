package org.minibert.bench.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Median latency of one ONNX Runtime run of two serving graphs (model.serving.onnx of two exports
 * of the same model), measured interleaved in one process, one intra-op thread, for short and long
 * batches with one mask per row. With {@code --profile}, one graph's time per operator type
 * instead, from ONNX Runtime's own profiler (300 runs of one batch shape). With {@code --roofline},
 * a version folder's two graphs (model.serving.onnx, model.onnx) in floating-point operations per
 * second against ONNX Runtime's own matrix multiply on the same thread: how close to the machine's
 * limit the model already runs. Prints figures; not a test.
 *
 * <pre>
 * bench/run org.minibert.bench.serving.GraphLatency A/model.serving.onnx B/model.serving.onnx
 * bench/run org.minibert.bench.serving.GraphLatency --profile A/model.serving.onnx 8 110
 * bench/run org.minibert.bench.serving.GraphLatency --roofline VERSION_FOLDER 8 110
 * </pre>
 */
public class GraphLatency {
  private static final int[][] SHAPES = {{1, 13}, {8, 13}, {1, 110}, {8, 110}}; // batch, tokens

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("--profile")) {
      profile(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    if (args.length == 4 && args[0].equals("--roofline")) {
      roofline(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    if (args.length != 2) {
      System.err.println(
          "usage: GraphLatency A.onnx B.onnx (two serving graphs of one model)\n"
              + "       GraphLatency --profile A.onnx BATCH TOKENS\n"
              + "       GraphLatency --roofline VERSION_FOLDER BATCH TOKENS");
      System.exit(2);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    OrtSession[] sessions = {
      env.createSession(args[0], options), env.createSession(args[1], options)
    };
    System.out.printf("A = %s%nB = %s%n", args[0], args[1]);
    for (int[] shape : SHAPES) {
      Map<String, OnnxTensor> inputs = inputs(env, shape[0], shape[1]);
      int runs = shape[1] > 50 ? 600 : 3000;
      double[][] ms = new double[2][runs];
      for (int w = 0; w < runs / 3; w++) {
        for (OrtSession s : sessions) {
          s.run(inputs).close();
        }
      }
      for (int i = 0; i < runs; i++) {
        for (int g = 0; g < 2; g++) {
          long start = System.nanoTime();
          sessions[g].run(inputs).close();
          ms[g][i] = (System.nanoTime() - start) / 1e6;
        }
      }
      double a = median(ms[0]);
      double b = median(ms[1]);
      System.out.printf(
          "batch %d x %3d tokens: A %.3f ms, B %.3f ms, B/A %.3f (median of %d)%n",
          shape[0], shape[1], a, b, b / a, runs);
    }
  }

  private static final Pattern DURATION = Pattern.compile("\"dur\" :(\\d+)");
  private static final Pattern OPERATOR = Pattern.compile("\"op_name\" : \"([^\"]+)\"");

  /** Time per operator type over 300 runs of one batch, from ONNX Runtime's profile. */
  private static void profile(String graph, int batch, int tokens) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    Path prefix = Files.createTempDirectory("ort-profile").resolve("profile");
    options.enableProfiling(prefix.toString());
    OrtSession session = env.createSession(graph, options);
    Map<String, OnnxTensor> inputs = inputs(env, batch, tokens);
    int runs = 300;
    for (int i = 0; i < runs; i++) {
      session.run(inputs).close();
    }
    List<String> events = Files.readAllLines(Path.of(session.endProfiling()));
    Map<String, Long> micros = new TreeMap<>();
    long[] runMicros = new long[runs];
    int run = 0;
    long total = 0;
    for (String event : events) {
      Matcher duration = DURATION.matcher(event);
      if (!duration.find()) {
        continue;
      }
      long us = Long.parseLong(duration.group(1));
      if (event.contains("\"name\" :\"model_run\"") && run < runs) {
        runMicros[run++] = us;
      }
      Matcher operator = OPERATOR.matcher(event);
      if (event.contains("\"cat\" : \"Node\"") && operator.find()) {
        micros.merge(operator.group(1), us, Long::sum);
        total += us;
      }
    }
    Arrays.sort(runMicros, 0, run);
    System.out.printf(
        "%s, batch %d x %d tokens, one thread: median run %.3f ms (profiling on)%n",
        graph, batch, tokens, runMicros[run / 2] / 1e3);
    long sum = total;
    micros.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                System.out.printf(
                    "%-24s %8.1f us per run %5.1f%%%n",
                    e.getKey(), e.getValue() / (double) runs, 100.0 * e.getValue() / sum));
  }

  /**
   * The serving graph and model.onnx of one version folder at one batch shape, one thread, in
   * GFLOP/s (multiply-adds counted twice, from config.json's shape), beside ONNX Runtime's MatMul
   * on a large square and on the model's own feed-forward shape: the practical ceiling of this
   * core.
   */
  private static void roofline(Path folder, int batch, int tokens) throws Exception {
    String config = Files.readString(folder.resolve("config.json"));
    long h = number(config, "hidden_size");
    long layers = number(config, "num_hidden_layers");
    long inner = number(config, "intermediate_size");
    long vocab = number(config, "vocab_size");
    long t = tokens;
    // one sequence: every layer's projections and feed-forward at every token, attention's two
    // T x T products; the serving graph runs its last layer past attention and the LM head only at
    // the one masked row and [CLS]; model.onnx runs the LM head (transform + decoder) everywhere
    long layer = t * (4 * h * h + 2 * h * inner) + 2 * t * t * h;
    long lastLayer = t * 3 * h * h + 2 * t * t * h + 2 * (h * h + 2 * h * inner);
    long lmHead = h * h + h * vocab;
    long pooler = h * h + 2 * h;
    double servingFlops = 2.0 * batch * ((layers - 1) * layer + lastLayer + lmHead + pooler);
    double fullFlops = 2.0 * batch * (layers * layer + t * lmHead + pooler);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    System.out.printf(
        "%s: %d layers x %d hidden, intermediate %d, vocabulary %d; batch %d x %d tokens, one"
            + " thread%n",
        folder, layers, h, inner, vocab, batch, tokens);
    long[][] gemms = {{1024, 1024, 1024}, {batch * t, h, inner}, {batch * t, inner, h}};
    double best = 0;
    for (long[] mkn : gemms) {
      byte[] model = matMulModel(mkn[0], mkn[1], mkn[2]);
      try (OrtSession session = env.createSession(model, options)) {
        Map<String, OnnxTensor> inputs =
            Map.of(
                "A", randomTensor(env, mkn[0], mkn[1]),
                "B", randomTensor(env, mkn[1], mkn[2]));
        double ms = medianRun(session, inputs, 200);
        double gflops = 2.0 * mkn[0] * mkn[1] * mkn[2] / ms / 1e6;
        best = Math.max(best, gflops);
        System.out.printf(
            "MatMul %5d x %4d x %4d: %8.3f ms, %6.1f GFLOP/s%n",
            mkn[0], mkn[1], mkn[2], ms, gflops);
      }
    }
    for (String graph : List.of("model.serving.onnx", "model.onnx")) {
      try (OrtSession session = env.createSession(folder.resolve(graph).toString(), options)) {
        Map<String, OnnxTensor> inputs = new TreeMap<>(inputs(env, batch, tokens));
        inputs.keySet().retainAll(session.getInputNames());
        double ms = medianRun(session, inputs, 300);
        double flops = graph.equals("model.onnx") ? fullFlops : servingFlops;
        double gflops = flops / ms / 1e6;
        System.out.printf(
            "%-18s %8.3f ms per batch, %6.1f MFLOP per sequence, %6.1f GFLOP/s = %.2f of the best"
                + " MatMul, %6.0f sequences/s per thread%n",
            graph, ms, flops / batch / 1e6, gflops, gflops / best, batch * 1000 / ms);
      }
    }
    System.out.printf(
        "at the best MatMul's rate the serving graph would run %.0f sequences/s per thread, "
            + "model.onnx %.0f%n",
        best * 1e9 / (servingFlops / batch), best * 1e9 / (fullFlops / batch));
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("config.json has no " + key);
    }
    return Long.parseLong(m.group(1));
  }

  private static double medianRun(OrtSession session, Map<String, OnnxTensor> inputs, int runs)
      throws Exception {
    for (int i = 0; i < runs / 3; i++) {
      session.run(inputs).close();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      session.run(inputs).close();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return median(ms);
  }

  private static OnnxTensor randomTensor(OrtEnvironment env, long rows, long cols)
      throws Exception {
    float[] values = new float[Math.toIntExact(rows * cols)];
    Random random = new Random(2);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() - 0.5f;
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {rows, cols});
  }

  /**
   * A one-node ONNX model, C = MatMul(A [m, k], B [k, n]), written as protobuf by hand so that this
   * program needs only ONNX Runtime's jar (field numbers from onnx.proto).
   */
  private static byte[] matMulModel(long m, long k, long n) {
    byte[] node =
        concat(
            string(1, "A"),
            string(1, "B"),
            string(2, "C"),
            string(3, "matmul"),
            string(4, "MatMul"));
    byte[] graph =
        concat(
            message(1, node),
            string(2, "matmul"),
            message(11, valueInfo("A", m, k)),
            message(11, valueInfo("B", k, n)),
            message(12, valueInfo("C", m, n)));
    byte[] opset = varintField(2, 17);
    return concat(varintField(1, 8), message(7, graph), message(8, opset));
  }

  private static byte[] valueInfo(String name, long rows, long cols) {
    byte[] shape = concat(message(1, varintField(1, rows)), message(1, varintField(1, cols)));
    byte[] tensorType = concat(varintField(1, 1), message(2, shape)); // elem_type FLOAT
    return concat(string(1, name), message(2, message(1, tensorType)));
  }

  private static byte[] varintField(int field, long value) {
    return concat(varint(field << 3), varint(value));
  }

  private static byte[] string(int field, String value) {
    return message(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] message(int field, byte[] body) {
    return concat(varint((field << 3) | 2), varint(body.length), body);
  }

  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Random ids, no padding, one mask per row at a random position past [CLS]. */
  private static Map<String, OnnxTensor> inputs(OrtEnvironment env, int batch, int tokens)
      throws Exception {
    long[] ids = new long[batch * tokens];
    long[] ones = new long[batch * tokens];
    long[] zeros = new long[batch * tokens];
    long[] positions = new long[batch * 2];
    Random random = new Random(1);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 5 + random.nextInt(5000);
      ones[i] = 1;
    }
    for (int row = 0; row < batch; row++) {
      positions[2 * row] = row;
      positions[2 * row + 1] = 1 + random.nextInt(tokens - 2);
    }
    long[] dims = {batch, tokens};
    return Map.of(
        "input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), dims),
        "attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), dims),
        "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(zeros), dims),
        "mask_positions",
            OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {batch, 2}));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
