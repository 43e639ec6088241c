package org.minibert.inference.version;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.inference.onnx.ExecutionProvider;
import org.minibert.inference.onnx.OnnxSession;
import org.minibert.inference.onnx.SessionSettings;

/**
 * One verified model version in memory: its ONNX Runtime session, its tokenizer and its metadata.
 *
 * <p>Reference counted so that a hot swap never closes a session under a running request. A loaded
 * version starts with one reference, its loader's, which {@link CurrentVersion#swap} takes over;
 * every request takes one more through {@link CurrentVersion#acquire()} for its whole life. Each
 * reference is dropped once with {@link #release()}, and the last one dropped closes the session
 * and the tokenizer; a version that is closed cannot be acquired again.
 */
public final class ServedVersion {
  private static final Logger LOG = Logger.getLogger(ServedVersion.class);

  private final String version;
  private final Manifest manifest;
  private final JsonNode config;
  private final JsonNode metrics;
  private final BertTokenizer tokenizer;
  private final OnnxSession session;
  private final ExecutionProvider provider;
  private final int maxPositions;
  private final int vocabSize;
  private final AtomicInteger references = new AtomicInteger(1);

  private ServedVersion(
      String version,
      Manifest manifest,
      JsonNode config,
      JsonNode metrics,
      BertTokenizer tokenizer,
      OnnxSession session,
      ExecutionProvider provider) {
    this.version = version;
    this.manifest = manifest;
    this.config = config;
    this.metrics = metrics;
    this.tokenizer = tokenizer;
    this.session = session;
    this.provider = provider;
    this.maxPositions = config.path("max_position_embeddings").asInt(128);
    this.vocabSize = tokenizer.vocabSize();
  }

  /**
   * Loads a verified version folder: {@code config.json}, {@code metrics.json}, {@code
   * tokenizer.json} (only that file: never {@code tokenizer_config.json}) and {@code
   * model.serving.onnx}, or {@code model.onnx} in versions exported without a serving graph; checks
   * that the graph has the inputs and outputs of the ONNX contract and that its vocabulary matches
   * the tokenizer's. The caller owns the one reference of the result.
   */
  public static ServedVersion load(
      String version, Manifest manifest, Path folder, SessionSettings settings)
      throws IOException, OrtException {
    ExecutionProvider provider = settings.provider();
    JsonNode config = readJson(folder.resolve(ModelLayout.CONFIG_JSON), true);
    JsonNode metrics = readJson(folder.resolve(ModelLayout.METRICS_JSON), false);
    BertTokenizer tokenizer = BertTokenizer.load(folder.resolve(ModelLayout.TOKENIZER_JSON));
    OnnxSession session = null;
    try {
      session = OnnxSession.open(folder, version, settings, tokenizer.vocabSize());
      int configVocab = config.path("vocab_size").asInt(tokenizer.vocabSize());
      if (configVocab != tokenizer.vocabSize()) {
        throw new IOException(
            "config.json of "
                + version
                + " says vocab_size "
                + configVocab
                + " but tokenizer.json has "
                + tokenizer.vocabSize()
                + " tokens");
      }
      if (tokenizer.vocabSize() <= SpecialTokens.MASK_ID
          || !SpecialTokens.MASK.equals(tokenizer.token(SpecialTokens.MASK_ID))) {
        throw new IOException(
            "tokenizer.json of "
                + version
                + " does not have [MASK] at id "
                + SpecialTokens.MASK_ID);
      }
      return new ServedVersion(version, manifest, config, metrics, tokenizer, session, provider);
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

  /**
   * One inference on a short text, so the first request does not pay for ONNX Runtime's lazy
   * initialisation.
   */
  public void warmUp() throws OrtException {
    Encoded single = tokenizer.encode("warm-up " + SpecialTokens.MASK);
    Encoded pair = tokenizer.encodePair("warm-up", "warm-up");
    session.run(List.of(single, pair), true, true);
  }

  /**
   * Takes a reference; false when this version has already been closed (the holder then reads its
   * successor).
   */
  boolean tryAcquire() {
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

  /**
   * Drops one reference (a request's, the holder's, or the loader's); the last one closes the
   * version.
   */
  public void release() {
    if (references.decrementAndGet() == 0) {
      closeNow();
    }
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

  /** The ONNX Runtime session; only while a reference is held. */
  public OnnxSession session() {
    return session;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /**
   * The longest input the model reads, special tokens included ({@code max_position_embeddings}).
   */
  public int maxPositions() {
    return maxPositions;
  }

  public int vocabSize() {
    return vocabSize;
  }
}
