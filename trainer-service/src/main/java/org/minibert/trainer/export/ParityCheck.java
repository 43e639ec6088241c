package org.minibert.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.minibert.core.fillmask.TopK;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Runs the trained DJL model and the exported ONNX file on the same random batches and measures how
 * far apart their outputs are. Every export is checked: a graph that loads but computes something
 * else (a wrong transpose, big-endian weights, an approximate GELU) is caught here, before a
 * service serves it.
 *
 * <h2>The batches</h2>
 *
 * Batch b of n has {@value #BATCH_SIZE} rows and a length that steps from 1 to {@code
 * max_position_embeddings} across the batches; the first row fills it, the others have random
 * lengths and are padded (id 0, type 0, mask 0). Token ids are uniform over the vocabulary, and
 * each row switches from segment 0 to segment 1 at a random point, so both token-type rows and
 * every position row are exercised.
 *
 * <h2>What is compared</h2>
 *
 * {@code nsp_logits} of every row, and {@code logits} at the real (non-padded) positions: those are
 * what a service reads. Padded positions are computed too (their queries attend to the real keys
 * like any other), and their difference is reported as {@link Result#paddedLogitsMaxAbsDiff()}, for
 * information: it does not decide the check, since no one reads those scores and padding is an
 * input convention, not part of the model's contract.
 *
 * <p>The serving graph, when given, is run on the same batches twice: with {@code mask_positions}
 * listing every real position of every row in a shuffled order, its {@code mask_log_probs} against
 * the log-softmax of DJL's logits and its {@code nsp_logits} against DJL's (so a wrong gather
 * shows); and with no positions, asking for {@code nsp_logits} alone, as the service does for a
 * next-sentence batch. The same tolerance applies.
 */
public final class ParityCheck {

  /**
   * The largest absolute difference an export may have: far above float32 rounding, far below a
   * real mistake.
   */
  public static final double TOLERANCE = 1e-4;

  /** Rows per batch. */
  public static final int BATCH_SIZE = 4;

  /**
   * The figures of one check.
   *
   * @param logitsMaxAbsDiff over the real positions of {@code logits}
   * @param nspMaxAbsDiff over {@code nsp_logits}
   * @param paddedLogitsMaxAbsDiff over the padded positions of {@code logits} (reported, not
   *     enforced); 0 if none
   * @param servingMaxAbsDiff over the serving graph's {@code mask_log_probs} and {@code
   *     nsp_logits}; 0 when no serving graph was checked
   * @param tolerance the limit {@link #passed()} applies
   * @param batches how many batches were compared
   */
  public record Result(
      double logitsMaxAbsDiff,
      double nspMaxAbsDiff,
      double paddedLogitsMaxAbsDiff,
      double servingMaxAbsDiff,
      double tolerance,
      int batches) {

    /** The largest of the enforced differences; NaN if any output had a NaN. */
    public double maxAbsDiff() {
      return Math.max(Math.max(logitsMaxAbsDiff, nspMaxAbsDiff), servingMaxAbsDiff);
    }

    /** Within tolerance (false for NaN). */
    public boolean passed() {
      return maxAbsDiff() <= tolerance;
    }

    /** The figures a version's manifest records. */
    public Manifest.Parity toManifest() {
      return new Manifest.Parity(maxAbsDiff(), tolerance, batches);
    }
  }

  private ParityCheck() {}

  /**
   * Compares the two on {@code batches} batches built from {@code seed}, with the default {@link
   * #TOLERANCE}.
   *
   * @param model the DJL model the file was exported from, initialised, on any device
   */
  public static Result check(BertForPreTraining model, Path onnxFile, int batches, long seed)
      throws OrtException {
    return check(model, onnxFile, null, batches, seed);
  }

  /**
   * Checks {@code model.onnx} and the serving graph beside it on the same batches.
   *
   * @param servingFile the serving graph, or null to check {@code onnxFile} alone
   */
  public static Result check(
      BertForPreTraining model, Path onnxFile, Path servingFile, int batches, long seed)
      throws OrtException {
    if (batches < 1) {
      throw new IllegalArgumentException("batches must be at least 1, got " + batches);
    }
    BertConfig config = model.config();
    Random random = new Random(seed);
    Differences diffs = new Differences();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    NDManager parameterManager =
        model.namedParameters().values().iterator().next().getArray().getManager();
    try (OrtSession session =
            env.createSession(onnxFile.toString(), new OrtSession.SessionOptions());
        OrtSession serving =
            servingFile == null
                ? null
                : env.createSession(servingFile.toString(), new OrtSession.SessionOptions());
        NDManager manager = parameterManager.newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      for (int b = 0; b < batches; b++) {
        Batch batch =
            Batch.random(random, BATCH_SIZE, batchLength(b, batches, config), config.vocabSize());
        NDList djl =
            model.forward(
                ps,
                batch.array(manager, batch.ids),
                batch.array(manager, batch.types),
                batch.array(manager, batch.mask),
                null,
                false);
        float[] djlLogits = djl.get(0).toFloatArray();
        float[] djlNsp = djl.get(1).toFloatArray();
        djl.close();
        compareModelGraph(env, session, batch, djlLogits, djlNsp, config.vocabSize(), diffs);
        if (serving != null) {
          diffs.serving =
              Math.max(
                  diffs.serving,
                  checkServing(env, serving, batch, random, djlLogits, djlNsp, config.vocabSize()));
        }
      }
    }
    return new Result(diffs.logits, diffs.nsp, diffs.padded, diffs.serving, TOLERANCE, batches);
  }

  /** The largest differences seen so far, per output. */
  private static final class Differences {
    double logits;
    double padded;
    double nsp;
    double serving;
  }

  /**
   * The sequence length of batch {@code b}: from 1 to the longest the model takes, evenly spread,
   * so that every length class (and padding) is exercised.
   */
  private static int batchLength(int b, int batches, BertConfig config) {
    int longest = config.maxPositionEmbeddings();
    return batches == 1
        ? longest
        : 1 + (int) Math.round(b * (longest - 1) / (double) (batches - 1));
  }

  /** {@code model.onnx} against DJL on one batch: logits at real and padded positions, NSP. */
  private static void compareModelGraph(
      OrtEnvironment env,
      OrtSession session,
      Batch batch,
      float[] djlLogits,
      float[] djlNsp,
      int vocab,
      Differences diffs)
      throws OrtException {
    try (OnnxTensor ids = batch.tensor(env, batch.ids);
        OnnxTensor mask = batch.tensor(env, batch.mask);
        OnnxTensor types = batch.tensor(env, batch.types);
        OrtSession.Result onnx =
            session.run(
                Map.of(
                    OnnxContract.INPUT_IDS,
                    ids,
                    OnnxContract.ATTENTION_MASK,
                    mask,
                    OnnxContract.TOKEN_TYPE_IDS,
                    types))) {
      FloatBuffer onnxLogits =
          ((OnnxTensor) onnx.get(OnnxContract.LOGITS).orElseThrow()).getFloatBuffer();
      requireSize(OnnxContract.LOGITS, onnxLogits.remaining(), djlLogits.length);
      // Math.max returns NaN if either side is NaN: a NaN output fails the check instead of being
      // skipped
      for (int i = 0; i < djlLogits.length; i++) {
        double diff = Math.abs(djlLogits[i] - onnxLogits.get(i));
        if (batch.mask[i / vocab] == 1) {
          diffs.logits = Math.max(diffs.logits, diff);
        } else {
          diffs.padded = Math.max(diffs.padded, diff);
        }
      }
      diffs.nsp = Math.max(diffs.nsp, nspDiff(onnx, djlNsp));
    }
  }

  /** The serving graph's largest difference from DJL on one batch (see the class comment). */
  private static double checkServing(
      OrtEnvironment env,
      OrtSession serving,
      Batch batch,
      Random random,
      float[] djlLogits,
      float[] djlNsp,
      int vocab)
      throws OrtException {
    List<Integer> real = new ArrayList<>();
    for (int i = 0; i < batch.mask.length; i++) {
      if (batch.mask[i] == 1) {
        real.add(i);
      }
    }
    Collections.shuffle(real, random);
    long[] pairs = new long[real.size() * 2];
    for (int k = 0; k < real.size(); k++) {
      pairs[2 * k] = real.get(k) / batch.length;
      pairs[2 * k + 1] = real.get(k) % batch.length;
    }
    double diff = 0;
    try (OnnxTensor ids = batch.tensor(env, batch.ids);
        OnnxTensor mask = batch.tensor(env, batch.mask);
        OnnxTensor types = batch.tensor(env, batch.types);
        OnnxTensor positions =
            OnnxTensor.createTensor(env, LongBuffer.wrap(pairs), new long[] {real.size(), 2});
        OnnxTensor none = OnnxTensor.createTensor(env, LongBuffer.allocate(0), new long[] {0, 2})) {
      Map<String, OnnxTensor> inputs =
          new HashMap<>(
              Map.of(
                  OnnxContract.INPUT_IDS,
                  ids,
                  OnnxContract.ATTENTION_MASK,
                  mask,
                  OnnxContract.TOKEN_TYPE_IDS,
                  types,
                  OnnxContract.MASK_POSITIONS,
                  positions));
      try (OrtSession.Result out = serving.run(inputs)) {
        FloatBuffer logProbs =
            ((OnnxTensor) out.get(OnnxContract.MASK_LOG_PROBS).orElseThrow()).getFloatBuffer();
        requireSize(OnnxContract.MASK_LOG_PROBS, logProbs.remaining(), real.size() * vocab);
        for (int k = 0; k < real.size(); k++) {
          int from = real.get(k) * vocab;
          double normaliser =
              TopK.logSumExp(Arrays.copyOfRange(djlLogits, from, from + vocab)); // DJL's row
          for (int v = 0; v < vocab; v++) {
            double expected = djlLogits[from + v] - normaliser;
            diff = Math.max(diff, Math.abs(expected - logProbs.get(k * vocab + v)));
          }
        }
        diff = Math.max(diff, nspDiff(out, djlNsp));
      }
      inputs.put(OnnxContract.MASK_POSITIONS, none);
      try (OrtSession.Result out = serving.run(inputs, Set.of(OnnxContract.NSP_LOGITS))) {
        diff = Math.max(diff, nspDiff(out, djlNsp));
      }
    }
    return diff;
  }

  private static double nspDiff(OrtSession.Result out, float[] djlNsp) throws OrtException {
    FloatBuffer nsp =
        ((OnnxTensor) out.get(OnnxContract.NSP_LOGITS).orElseThrow()).getFloatBuffer();
    requireSize(OnnxContract.NSP_LOGITS, nsp.remaining(), djlNsp.length);
    double diff = 0;
    for (int i = 0; i < djlNsp.length; i++) {
      diff = Math.max(diff, Math.abs(djlNsp[i] - nsp.get(i)));
    }
    return diff;
  }

  /** One batch as flat row-major [rows, length] arrays. */
  private record Batch(int rows, int length, long[] ids, long[] types, long[] mask) {

    static Batch random(Random random, int rows, int length, int vocab) {
      long[] ids = new long[rows * length];
      long[] types = new long[rows * length];
      long[] mask = new long[rows * length];
      for (int r = 0; r < rows; r++) {
        int real = r == 0 ? length : 1 + random.nextInt(length);
        int secondSegment = random.nextInt(real + 1); // real = all sentence A
        for (int t = 0; t < real; t++) {
          ids[r * length + t] = random.nextInt(vocab);
          types[r * length + t] = t >= secondSegment ? 1 : 0;
          mask[r * length + t] = 1;
        }
      }
      return new Batch(rows, length, ids, types, mask);
    }

    NDArray array(NDManager manager, long[] values) {
      return manager.create(values, new Shape(rows, length));
    }

    OnnxTensor tensor(OrtEnvironment env, long[] values) throws OrtException {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {rows, length});
    }
  }

  private static void requireSize(String output, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalStateException(
          "ONNX output " + output + " has " + actual + " values, the DJL model " + expected);
    }
  }
}
