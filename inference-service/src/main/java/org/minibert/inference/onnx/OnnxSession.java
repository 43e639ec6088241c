package org.minibert.inference.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.minibert.core.registry.OnnxContract;
import org.minibert.core.tokenizer.Encoded;

/**
 * The ONNX Runtime adapter: one session of a {@code model.onnx} bound to the graph of {@link
 * OnnxContract}. Packs tokenized rows into padded input tensors, runs them, and lets the logits
 * land in a reused direct buffer ({@link LogitsBuffers}). Thread-safe: ONNX Runtime sessions may
 * run concurrently.
 */
public final class OnnxSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int vocabSize;

  private OnnxSession(OrtEnvironment env, OrtSession session, int vocabSize) {
    this.env = env;
    this.session = session;
    this.vocabSize = vocabSize;
  }

  /**
   * Opens a session and checks that the graph has the inputs and outputs of the contract.
   *
   * @param version names the version in messages
   * @param vocabSize the size of the {@code logits} output's last axis
   */
  public static OnnxSession open(
      Path modelFile,
      String version,
      ExecutionProvider provider,
      int intraOpThreads,
      int interOpThreads,
      int vocabSize)
      throws IOException, OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(interOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      provider.configure(options);
      session = env.createSession(modelFile.toString(), options);
    }
    try {
      Set<String> inputs = session.getInputNames();
      Set<String> outputs = session.getOutputNames();
      if (!inputs.containsAll(OnnxContract.INPUTS) || !outputs.containsAll(OnnxContract.OUTPUTS)) {
        throw new IOException(
            "model.onnx of "
                + version
                + " has inputs "
                + inputs
                + " and outputs "
                + outputs
                + "; expected inputs "
                + String.join(", ", OnnxContract.INPUTS)
                + " and outputs "
                + String.join(", ", OnnxContract.OUTPUTS));
      }
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
    return new OnnxSession(env, session, vocabSize);
  }

  /** Runs one padded batch; asks ONNX Runtime only for the outputs some row needs. */
  public BatchOutput run(List<Encoded> rows, boolean wantLogits, boolean wantNsp)
      throws OrtException {
    int batch = rows.size();
    int length = 0;
    for (Encoded row : rows) {
      length = Math.max(length, row.length());
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] types = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      Encoded row = rows.get(b);
      int offset = b * length;
      for (int t = 0; t < row.length(); t++) {
        ids[offset + t] = row.ids()[t];
        mask[offset + t] = row.attentionMask()[t];
        types[offset + t] = row.typeIds()[t];
      }
      // padding: [PAD] ids, attention 0, type 0 (zeros already)
    }
    long[] shape = {batch, length};
    Set<String> wanted = new HashSet<>();
    if (wantLogits) {
      wanted.add(OnnxContract.LOGITS);
    }
    if (wantNsp || !wantLogits) {
      wanted.add(OnnxContract.NSP_LOGITS);
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(OnnxContract.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put(
          OnnxContract.ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      inputs.put(
          OnnxContract.TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      Map<String, OnnxTensor> pinned = new HashMap<>();
      FloatBuffer logits = null;
      if (wantLogits) {
        // ONNX Runtime writes the logits straight into a reused direct buffer: no copy of [batch,
        // length, vocab]
        logits = LogitsBuffers.floats(batch * length * vocabSize);
        pinned.put(
            OnnxContract.LOGITS,
            OnnxTensor.createTensor(env, logits, new long[] {batch, length, vocabSize}));
        // requested outputs are the ones ONNX Runtime allocates; pinned ones are not repeated
        wanted.remove(OnnxContract.LOGITS);
      }
      try (OrtSession.Result result = session.run(inputs, wanted, pinned)) {
        float[] nsp = null;
        if (wanted.contains(OnnxContract.NSP_LOGITS)) {
          FloatBuffer buffer = floats(result, OnnxContract.NSP_LOGITS);
          nsp = new float[buffer.remaining()];
          buffer.get(nsp);
        }
        return new BatchOutput(logits, nsp, length, vocabSize);
      } finally {
        for (OnnxTensor tensor : pinned.values()) {
          tensor.close();
        }
      }
    } finally {
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
