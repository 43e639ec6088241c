package org.minibert.inference.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * One verified model version in memory: its ONNX Runtime session, its tokenizer and its metadata.
 *
 * <p>Reference counted so that a hot swap never closes a session under a running request: the holder owns one
 * reference, every request takes one for its whole life ({@link #tryAcquire()} / {@link #release()}), and the native
 * resources are freed when the last one is dropped after {@link #retire()}.
 */
public final class LoadedModel implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LoadedModel.class);

  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  public static final String LOGITS = "logits";
  public static final String NSP_LOGITS = "nsp_logits";

  private final String model;
  private final String version;
  private final Manifest manifest;
  private final JsonNode config;
  private final JsonNode metrics;
  private final BertTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ExecutionProvider provider;
  private final int maxPositions;
  private final int vocabSize;
  private final AtomicInteger references = new AtomicInteger(1);

  private LoadedModel(String model, String version, Manifest manifest, JsonNode config, JsonNode metrics,
      BertTokenizer tokenizer, OrtEnvironment env, OrtSession session, ExecutionProvider provider) {
    this.model = model;
    this.version = version;
    this.manifest = manifest;
    this.config = config;
    this.metrics = metrics;
    this.tokenizer = tokenizer;
    this.env = env;
    this.session = session;
    this.provider = provider;
    this.maxPositions = config.path("max_position_embeddings").asInt(128);
    this.vocabSize = tokenizer.vocabSize();
  }

  /**
   * Loads a verified version folder: {@code config.json}, {@code metrics.json}, {@code tokenizer.json} (only that
   * file: never {@code tokenizer_config.json}) and {@code model.onnx}; checks that the graph has the inputs and
   * outputs of the layout contract and that its vocabulary matches the tokenizer's.
   */
  public static LoadedModel load(String model, String version, Manifest manifest, Path folder,
      ExecutionProvider provider, int intraOpThreads, int interOpThreads) throws IOException, OrtException {
    JsonNode config = readJson(folder.resolve(ModelLayout.CONFIG_JSON), true);
    JsonNode metrics = readJson(folder.resolve(ModelLayout.METRICS_JSON), false);
    BertTokenizer tokenizer = BertTokenizer.load(folder.resolve(ModelLayout.TOKENIZER_JSON));
    OrtSession session = null;
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(interOpThreads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        provider.configure(options);
        session = env.createSession(folder.resolve(ModelLayout.MODEL_ONNX).toString(), options);
      }
      Set<String> inputs = session.getInputNames();
      Set<String> outputs = session.getOutputNames();
      if (!inputs.containsAll(List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS))
          || !outputs.containsAll(List.of(LOGITS, NSP_LOGITS))) {
        throw new IOException("model.onnx of " + version + " has inputs " + inputs + " and outputs " + outputs
            + "; expected inputs input_ids, attention_mask, token_type_ids and outputs logits, nsp_logits");
      }
      int configVocab = config.path("vocab_size").asInt(tokenizer.vocabSize());
      if (configVocab != tokenizer.vocabSize()) {
        throw new IOException("config.json of " + version + " says vocab_size " + configVocab
            + " but tokenizer.json has " + tokenizer.vocabSize() + " tokens");
      }
      if (tokenizer.vocabSize() <= SpecialTokens.MASK_ID
          || !SpecialTokens.MASK.equals(tokenizer.token(SpecialTokens.MASK_ID))) {
        throw new IOException("tokenizer.json of " + version + " does not have [MASK] at id " + SpecialTokens.MASK_ID);
      }
      return new LoadedModel(model, version, manifest, config, metrics, tokenizer, env, session, provider);
    } catch (IOException | OrtException | RuntimeException e) {
      tokenizer.close();
      if (session != null) {
        session.close();
      }
      throw e;
    }
  }

  private static JsonNode readJson(Path file, boolean required) throws IOException {
    if (!Files.isRegularFile(file)) {
      if (required) {
        throw new IOException("missing " + file.getFileName());
      }
      return NullNode.getInstance();
    }
    return Json.MAPPER.readTree(file.toFile());
  }

  /** Runs one padded batch; asks ONNX Runtime only for the outputs some row needs. */
  public BatchOutput run(List<Encoded> rows, boolean wantLogits, boolean wantNsp) throws OrtException {
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
      wanted.add(LOGITS);
    }
    if (wantNsp || !wantLogits) {
      wanted.add(NSP_LOGITS);
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      Map<String, OnnxTensor> pinned = new HashMap<>();
      FloatBuffer logits = null;
      if (wantLogits) {
        // ONNX Runtime writes the logits straight into a reused direct buffer: no copy of [batch, length, vocab]
        logits = LOGITS_BUFFER.get().floats(batch * length * vocabSize);
        pinned.put(LOGITS, OnnxTensor.createTensor(env, logits, new long[] {batch, length, vocabSize}));
        wanted.remove(LOGITS); // requested outputs are the ones ONNX Runtime allocates; pinned ones are not repeated
      }
      try (OrtSession.Result result = session.run(inputs, wanted, pinned)) {
        float[] nsp = null;
        if (wanted.contains(NSP_LOGITS)) {
          FloatBuffer buffer = floats(result, NSP_LOGITS);
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

  /**
   * A direct buffer per batcher thread for the logits, grown as needed and reused; beyond {@link #MAX_REUSED_FLOATS}
   * a one-off buffer is allocated, so one huge batch does not keep its memory for ever. The rows a batch needs are
   * read before that thread runs its next batch.
   */
  private static final int MAX_REUSED_FLOATS = 8 << 20; // 32 MB
  private static final ThreadLocal<LogitsBuffer> LOGITS_BUFFER = ThreadLocal.withInitial(LogitsBuffer::new);

  private static final class LogitsBuffer {
    private FloatBuffer reused;

    FloatBuffer floats(int count) {
      if (count > MAX_REUSED_FLOATS) {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      }
      if (reused == null || reused.capacity() < count) {
        int capacity = Math.min(MAX_REUSED_FLOATS, Math.max(count, reused == null ? 0 : reused.capacity() * 2));
        reused = ByteBuffer.allocateDirect(capacity * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      }
      FloatBuffer view = reused.duplicate();
      view.clear();
      view.limit(count);
      return view.slice();
    }
  }

  private static FloatBuffer floats(OrtSession.Result result, String name) throws OrtException {
    OnnxValue value = result.get(name).orElseThrow(() -> new OrtException("no output " + name));
    return ((OnnxTensor) value).getFloatBuffer();
  }

  /** One inference on a short text, so the first request does not pay for ONNX Runtime's lazy initialisation. */
  public void warmUp() throws OrtException {
    Encoded single = tokenizer.encode("warm-up " + SpecialTokens.MASK);
    Encoded pair = tokenizer.encodePair("warm-up", "warm-up");
    run(List.of(single, pair), true, true);
  }

  /** Takes a reference for one request; false when this version has already been closed (retry with the new one). */
  public boolean tryAcquire() {
    while (true) {
      int n = references.get();
      if (n <= 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    if (references.decrementAndGet() == 0) {
      closeNow();
    }
  }

  /** Drops the holder's reference: the session closes once the last in-flight request has released it. */
  public void retire() {
    release();
  }

  /** Closes at once (for a version that never served). */
  @Override
  public void close() {
    retire();
  }

  private void closeNow() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warnf("closing the session of %s: %s", version, e.getMessage());
    }
    tokenizer.close();
    LOG.infof("closed model version %s", version);
  }

  public boolean isClosed() {
    return references.get() <= 0;
  }

  public String model() {
    return model;
  }

  public String version() {
    return version;
  }

  public String createdAt() {
    return manifest.createdAt();
  }

  /** The manifest the files were verified against. */
  public Manifest manifest() {
    return manifest;
  }

  public JsonNode config() {
    return config;
  }

  public JsonNode metrics() {
    return metrics;
  }

  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /** The longest input the model reads, special tokens included ({@code max_position_embeddings}). */
  public int maxPositions() {
    return maxPositions;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /**
   * The outputs of one batch.
   *
   * @param logits {@code [batch, length, vocab]} row-major, or null when no row asked for them
   * @param nsp {@code [batch, 2]} row-major, or null
   */
  public record BatchOutput(FloatBuffer logits, float[] nsp, int length, int vocab) {

    /** The masked-LM logits of one token of one row. */
    public float[] logits(int row, int position) {
      float[] out = new float[vocab];
      logits.get((row * length + position) * vocab, out);
      return out;
    }

    public float[] nsp(int row) {
      return new float[] {nsp[row * 2], nsp[row * 2 + 1]};
    }
  }
}
