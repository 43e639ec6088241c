import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
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
 * Median latency of one ONNX Runtime run of two serving graphs (model.serving.onnx of two exports of
 * the same model), measured interleaved in one process, one intra-op thread, for short and long
 * batches with one mask per row. With {@code --profile}, one graph's time per operator type instead,
 * from ONNX Runtime's own profiler (300 runs of one batch shape). Prints figures; not a test.
 *
 * <pre>
 * java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
 *   bench/GraphLatency.java A/model.serving.onnx B/model.serving.onnx
 * java -cp ... bench/GraphLatency.java --profile A/model.serving.onnx 8 110
 * </pre>
 */
public class GraphLatency {
  private static final int[][] SHAPES = {{1, 13}, {8, 13}, {1, 110}, {8, 110}}; // batch, tokens

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("--profile")) {
      profile(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    if (args.length != 2) {
      System.err.println(
          "usage: GraphLatency A.onnx B.onnx (two serving graphs of one model)\n"
              + "       GraphLatency --profile A.onnx BATCH TOKENS");
      System.exit(2);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    OrtSession[] sessions = {env.createSession(args[0], options), env.createSession(args[1], options)};
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
