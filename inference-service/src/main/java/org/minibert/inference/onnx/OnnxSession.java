package org.minibert.inference.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.OnnxContract;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.inference.onnx.BatchBuffers.Slot;

/**
 * The ONNX Runtime adapter: one session of a version's graph, bound to {@link OnnxContract}. Runs
 * {@code model.serving.onnx} when the version has one (the masked-LM head only at the {@code
 * [MASK]} positions, none for a next-sentence batch), else {@code model.onnx} (scores at every
 * position, versions exported before the serving graph). Packs tokenized rows into padded input
 * tensors and lets the logits land in reused direct buffers ({@link BatchBuffers}). Thread-safe:
 * ONNX Runtime sessions may run concurrently.
 */
public final class OnnxSession implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OnnxSession.class);

  /** Inside a version's verified copy: the graphs ONNX Runtime optimized on this machine. */
  static final String OPTIMIZED_FOLDER = "optimized";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final int vocabSize;
  private final boolean serving;
  private final String graph;

  /**
   * The output with the masked-LM scores: {@code mask_log_probs}, {@code mask_logits}, {@code
   * logits}.
   */
  private final String scoresOutput;

  private OnnxSession(
      OrtEnvironment env,
      OrtSession session,
      int vocabSize,
      boolean serving,
      String graph,
      String scoresOutput) {
    this.env = env;
    this.session = session;
    this.vocabSize = vocabSize;
    this.serving = serving;
    this.graph = graph;
    this.scoresOutput = scoresOutput;
  }

  /**
   * Opens a session of the version in {@code folder} and checks that the graph has the inputs and
   * outputs of the contract (a serving graph exported before {@code mask_log_probs} may have {@code
   * mask_logits} instead).
   *
   * @param version names the version in messages
   * @param vocabSize the size of the logits' last axis
   */
  public static OnnxSession open(
      Path folder, String version, SessionSettings settings, int vocabSize)
      throws IOException, OrtException {
    boolean serving = Files.isRegularFile(folder.resolve(ModelLayout.MODEL_SERVING_ONNX));
    String graph = serving ? ModelLayout.MODEL_SERVING_ONNX : ModelLayout.MODEL_ONNX;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = create(env, folder, graph, settings);
    String scoresOutput;
    try {
      List<String> wantedInputs = serving ? OnnxContract.SERVING_INPUTS : OnnxContract.INPUTS;
      List<String> wantedOutputs = serving ? OnnxContract.SERVING_OUTPUTS : OnnxContract.OUTPUTS;
      Set<String> inputs = session.getInputNames();
      Set<String> outputs = session.getOutputNames();
      scoresOutput = wantedOutputs.get(0);
      if (serving
          && !outputs.contains(scoresOutput)
          && outputs.contains(OnnxContract.MASK_LOGITS)) {
        scoresOutput = OnnxContract.MASK_LOGITS; // exported before the graph normalised its scores
      }
      if (!inputs.containsAll(wantedInputs)
          || !outputs.contains(scoresOutput)
          || !outputs.contains(OnnxContract.NSP_LOGITS)) {
        throw new IOException(
            graph
                + " of "
                + version
                + " has inputs "
                + inputs
                + " and outputs "
                + outputs
                + "; expected inputs "
                + String.join(", ", wantedInputs)
                + " and outputs "
                + String.join(", ", wantedOutputs)
                + (serving ? " (or " + OnnxContract.MASK_LOGITS + " for the first)" : ""));
      }
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
    return new OnnxSession(env, session, vocabSize, serving, graph, scoresOutput);
  }

  /**
   * A session of {@code graph}; with {@link SessionSettings#cacheOptimized()} on the CPU, from the
   * optimized copy of an earlier start when there is one, else saving one for the next start. The
   * copy is saved at ONNX Runtime's extended level, the last one without hardware-specific layouts
   * (a BERT has no convolution for them anyway), and loaded at the full level. The copy is not part
   * of the verified version: its SHA-256 is recorded beside it ({@code <graph>.sha256}) when it is
   * written, and a copy whose bytes no longer match (or without a record) is deleted and rebuilt.
   */
  private static OrtSession create(
      OrtEnvironment env, Path folder, String graph, SessionSettings settings)
      throws OrtException, IOException {
    boolean cache = settings.cacheOptimized() && settings.provider() == ExecutionProvider.CPU;
    Path optimized = folder.resolve(OPTIMIZED_FOLDER).resolve(graph);
    if (cache && OptimizedCopy.verified(optimized)) {
      try (OrtSession.SessionOptions options =
          options(settings, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
        return env.createSession(optimized.toString(), options);
      } catch (OrtException e) {
        // another ONNX Runtime version wrote it: optimize the original again
        LOG.warnf("ignoring the optimized copy %s: %s", optimized, e.getMessage());
        OptimizedCopy.delete(optimized);
      }
    }
    try (OrtSession.SessionOptions options =
        options(
            settings,
            cache
                ? OrtSession.SessionOptions.OptLevel.EXTENDED_OPT
                : OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
      Path partial = null;
      if (cache) {
        Files.createDirectories(optimized.getParent());
        partial = Files.createTempFile(optimized.getParent(), AtomicFiles.TEMP_PREFIX, "-" + graph);
        options.setOptimizedModelFilePath(partial.toString());
      }
      OrtSession session = env.createSession(folder.resolve(graph).toString(), options);
      if (partial != null) {
        OptimizedCopy.install(partial, optimized);
      }
      return session;
    }
  }

  private static OrtSession.SessionOptions options(
      SessionSettings settings, OrtSession.SessionOptions.OptLevel level) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(level);
      options.setCPUArenaAllocator(settings.cpuArena());
      options.setMemoryPatternOptimization(settings.memoryPattern());
      settings.provider().configure(options);
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** The file this session runs: {@code model.serving.onnx} or {@code model.onnx}. */
  public String graph() {
    return graph;
  }

  /**
   * Runs one padded batch; asks ONNX Runtime only for the outputs some row needs. With the serving
   * graph the masked-LM scores are those of the rows' {@code [MASK]} tokens only.
   */
  public BatchOutput run(List<Encoded> rows, boolean wantLogits, boolean wantNsp)
      throws OrtException {
    int batch = rows.size();
    int length = 0;
    for (Encoded row : rows) {
      length = Math.max(length, row.length());
    }
    BatchBuffers buffers = BatchBuffers.get();
    LongBuffer ids = buffers.longs(Slot.INPUT_IDS, batch * length);
    LongBuffer mask = buffers.longs(Slot.ATTENTION_MASK, batch * length);
    LongBuffer types = buffers.longs(Slot.TOKEN_TYPE_IDS, batch * length);
    int masks = 0;
    for (int b = 0; b < batch; b++) {
      Encoded row = rows.get(b);
      int offset = b * length;
      for (int t = 0; t < row.length(); t++) {
        ids.put(offset + t, row.ids()[t]);
        mask.put(offset + t, row.attentionMask()[t]);
        types.put(offset + t, row.typeIds()[t]);
        if (row.ids()[t] == SpecialTokens.MASK_ID) {
          masks++;
        }
      }
      // padding: [PAD] ids, attention 0, type 0 (zeros already)
    }
    long[] shape = {batch, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    Map<String, OnnxTensor> pinned = new HashMap<>();
    try {
      inputs.put(OnnxContract.INPUT_IDS, OnnxTensor.createTensor(env, ids, shape));
      inputs.put(OnnxContract.ATTENTION_MASK, OnnxTensor.createTensor(env, mask, shape));
      inputs.put(OnnxContract.TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, types, shape));
      int[] scoreRows = null;
      int scoreCount = 0;
      if (serving) {
        if (!wantLogits) {
          masks = 0;
        }
        LongBuffer positions = buffers.longs(Slot.MASK_POSITIONS, masks * 2);
        if (masks > 0) {
          scoreRows = new int[batch * length];
          Arrays.fill(scoreRows, -1);
          int k = 0;
          for (int b = 0; b < batch; b++) {
            int[] rowIds = rows.get(b).ids();
            for (int t = 0; t < rowIds.length; t++) {
              if (rowIds[t] == SpecialTokens.MASK_ID) {
                positions.put(2 * k, b);
                positions.put(2 * k + 1, t);
                scoreRows[b * length + t] = k++;
              }
            }
          }
        }
        inputs.put(
            OnnxContract.MASK_POSITIONS,
            OnnxTensor.createTensor(env, positions, new long[] {masks, 2}));
        scoreCount = masks;
      } else if (wantLogits) {
        scoreCount = batch * length;
      }
      Set<String> wanted = new HashSet<>();
      FloatBuffer scores = null;
      if (wantLogits && scoreCount > 0) {
        // ONNX Runtime writes the scores straight into a reused direct buffer: no copy
        scores = buffers.floats(Slot.LOGITS, scoreCount * vocabSize);
        long[] scoresShape =
            serving ? new long[] {scoreCount, vocabSize} : new long[] {batch, length, vocabSize};
        pinned.put(scoresOutput, OnnxTensor.createTensor(env, scores, scoresShape));
      }
      if (wantNsp || pinned.isEmpty()) {
        wanted.add(OnnxContract.NSP_LOGITS);
      }
      // requested outputs are the ones ONNX Runtime allocates; pinned ones are not repeated
      try (OrtSession.Result result = session.run(inputs, wanted, pinned)) {
        float[] nsp = null;
        if (wanted.contains(OnnxContract.NSP_LOGITS)) {
          FloatBuffer buffer = floats(result, OnnxContract.NSP_LOGITS);
          nsp = new float[buffer.remaining()];
          buffer.get(nsp);
        }
        return new BatchOutput(
            scores,
            OnnxContract.MASK_LOG_PROBS.equals(scoresOutput),
            scoreRows,
            nsp,
            length,
            vocabSize);
      }
    } finally {
      for (OnnxTensor tensor : pinned.values()) {
        tensor.close();
      }
      for (OnnxTensor tensor : inputs.values()) {
        tensor.close();
      }
    }
  }

  private static FloatBuffer floats(OrtSession.Result result, String name) throws OrtException {
    OnnxValue value = result.get(name).orElseThrow(() -> new OrtException("no output " + name));
    return ((OnnxTensor) value).getFloatBuffer();
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
