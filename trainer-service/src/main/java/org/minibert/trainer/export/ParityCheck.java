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
import java.util.Map;
import java.util.Random;
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
   * @param tolerance the limit {@link #passed()} applies
   * @param batches how many batches were compared
   */
  public record Result(
      double logitsMaxAbsDiff,
      double nspMaxAbsDiff,
      double paddedLogitsMaxAbsDiff,
      double tolerance,
      int batches) {

    /** The larger of the two enforced differences; NaN if either output had a NaN. */
    public double maxAbsDiff() {
      return Math.max(logitsMaxAbsDiff, nspMaxAbsDiff);
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
    if (batches < 1) {
      throw new IllegalArgumentException("batches must be at least 1, got " + batches);
    }
    BertConfig config = model.config();
    Random random = new Random(seed);
    double logitsDiff = 0;
    double paddedDiff = 0;
    double nspDiff = 0;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    NDManager parameterManager =
        model.namedParameters().values().iterator().next().getArray().getManager();
    try (OrtSession session =
            env.createSession(onnxFile.toString(), new OrtSession.SessionOptions());
        NDManager manager = parameterManager.newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      for (int b = 0; b < batches; b++) {
        int length =
            batches == 1
                ? config.maxPositionEmbeddings()
                : 1
                    + (int)
                        Math.round(
                            b * (config.maxPositionEmbeddings() - 1) / (double) (batches - 1));
        Batch batch = Batch.random(random, BATCH_SIZE, length, config.vocabSize());

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
          FloatBuffer onnxNsp =
              ((OnnxTensor) onnx.get(OnnxContract.NSP_LOGITS).orElseThrow()).getFloatBuffer();
          requireSize(OnnxContract.LOGITS, onnxLogits.remaining(), djlLogits.length);
          requireSize(OnnxContract.NSP_LOGITS, onnxNsp.remaining(), djlNsp.length);
          int vocab = config.vocabSize();
          // Math.max returns NaN if either side is NaN: a NaN output fails the check instead of
          // being skipped
          for (int i = 0; i < djlLogits.length; i++) {
            double diff = Math.abs(djlLogits[i] - onnxLogits.get(i));
            if (batch.mask[i / vocab] == 1) {
              logitsDiff = Math.max(logitsDiff, diff);
            } else {
              paddedDiff = Math.max(paddedDiff, diff);
            }
          }
          for (int i = 0; i < djlNsp.length; i++) {
            nspDiff = Math.max(nspDiff, Math.abs(djlNsp[i] - onnxNsp.get(i)));
          }
        }
      }
    }
    return new Result(logitsDiff, nspDiff, paddedDiff, TOLERANCE, batches);
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
