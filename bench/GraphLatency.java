import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Median latency of one ONNX Runtime run of two serving graphs (model.serving.onnx of two exports of
 * the same model), measured interleaved in one process, one intra-op thread, for short and long
 * batches with one mask per row. Prints figures; not a test.
 *
 * <pre>
 * java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
 *   bench/GraphLatency.java A/model.serving.onnx B/model.serving.onnx
 * </pre>
 */
public class GraphLatency {
  private static final int[][] SHAPES = {{1, 13}, {8, 13}, {1, 110}, {8, 110}}; // batch, tokens

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: GraphLatency A.onnx B.onnx (two serving graphs of one model)");
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
