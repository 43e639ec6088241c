package org.minibert.inference.testmodel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;
import org.minibert.trainer.export.BertOnnxExporter;
import org.minibert.trainer.export.ParityCheck;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;
import org.minibert.trainer.tokenizer.Vocabulary;
import org.minibert.trainer.tokenizer.WordPieceTrainer;

/**
 * Makes a real model version with the project's own code: a WordPiece vocabulary trained on the bundled sample
 * corpus, a randomly initialised (seeded) {@link BertForPreTraining}, exported by {@link BertOnnxExporter} and
 * parity-checked by {@link ParityCheck}, published into a local store with a manifest and {@code LATEST}.
 *
 * <p>Run by the build before the tests ({@code tiny}: 2 layers of 32, 64 positions, ~300 tokens, well under 1 MB)
 * and by the benchmark ({@code deep-6L-96D}: the shipped 6-layer shape).
 *
 * <pre>ExportModel STORE MODEL VERSION CONFIG VOCAB_SIZE CORPUS</pre>
 */
public final class ExportModel {
  private ExportModel() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    String model = args[1];
    String version = args[2];
    String configName = args[3];
    int vocabSize = Integer.parseInt(args[4]);
    Path corpus = Path.of(args[5]);
    Path latest = store.resolve(ModelLayout.latestKey(model));
    if (Files.isRegularFile(latest)) {
      System.out.println("ExportModel: " + latest + " exists, nothing to do");
      return;
    }
    long start = System.nanoTime();
    // ONNX Runtime's native library first: loaded after PyTorch's, the process crashes in the parity check
    ai.onnxruntime.OrtEnvironment.getEnvironment();
    export(store, model, version, configName, vocabSize, corpus);
    Files.writeString(latest, version, StandardCharsets.UTF_8);
    System.out.printf("ExportModel: %s/%s/versions/%s in %.1f s%n", store, model, version,
        (System.nanoTime() - start) / 1e9);
  }

  static BertConfig config(String name) {
    if ("tiny".equals(name)) {
      return new BertConfig("tiny-2L-32D", 0, 32, 2, 2, 64, 64, 2, 0.1, 0.1, 1e-12, 0.02);
    }
    return BertConfig.resolve(name);
  }

  /** Writes the version folder and its manifest (last); does not touch {@code LATEST}. */
  public static Path export(Path store, String model, String version, String configName, int vocabSize, Path corpus)
      throws Exception {
    WordPieceTrainer trainer = new WordPieceTrainer(vocabSize, 1, 1);
    Corpus.read(List.of(corpus), document -> document.sentences().forEach(trainer::addText), new CorpusStats());
    Vocabulary vocabulary = trainer.train();
    BertConfig config = config(configName).withVocabSize(vocabulary.size());

    Path folder = store.resolve(ModelLayout.versionPrefix(model, version));
    Files.createDirectories(folder);
    TokenizerJsonWriter.write(vocabulary, config.maxPositionEmbeddings(), folder);

    Engine.getInstance().setRandomSeed(42);
    ParityCheck.Result parity;
    try (NDManager manager = NDManager.newBaseManager()) {
      BertForPreTraining bert = new BertForPreTraining(config);
      bert.initialize(manager);
      Path onnx = folder.resolve(ModelLayout.MODEL_ONNX);
      BertOnnxExporter.write(BertOnnxExporter.build(bert), onnx);
      parity = ParityCheck.check(bert, onnx, 2, 42);
      if (!parity.passed()) {
        throw new IllegalStateException("parity check failed: " + parity);
      }
      Map<String, Object> hf = new LinkedHashMap<>();
      hf.put("model_type", "bert");
      hf.put("architectures", List.of("BertForPreTraining"));
      hf.put("name", config.name());
      hf.put("vocab_size", config.vocabSize());
      hf.put("hidden_size", config.hiddenSize());
      hf.put("num_hidden_layers", config.numHiddenLayers());
      hf.put("num_attention_heads", config.numAttentionHeads());
      hf.put("intermediate_size", config.intermediateSize());
      hf.put("max_position_embeddings", config.maxPositionEmbeddings());
      hf.put("type_vocab_size", config.typeVocabSize());
      hf.put("hidden_act", "gelu");
      hf.put("layer_norm_eps", config.layerNormEps());
      hf.put("num_parameters", bert.parameterCount());
      Json.write(folder.resolve(ModelLayout.CONFIG_JSON), hf);
    }
    Json.write(folder.resolve(ModelLayout.METRICS_JSON),
        Map.of("note", "randomly initialised test model (not trained)", "step", 0));
    writeManifest(folder, model, version, parity.toManifest());
    return folder;
  }

  /** Digests every file of a version folder (except the manifest) into {@code manifest.json}. */
  public static void writeManifest(Path folder, String model, String version, Manifest.Parity parity)
      throws IOException {
    List<FileDigest> files = new ArrayList<>();
    for (String name : List.of(ModelLayout.MODEL_ONNX, ModelLayout.TOKENIZER_JSON, ModelLayout.TOKENIZER_CONFIG_JSON,
        ModelLayout.CONFIG_JSON, ModelLayout.METRICS_JSON)) {
      if (Files.isRegularFile(folder.resolve(name))) {
        files.add(FileDigest.of(folder, name));
      }
    }
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, model, version, Instant.now().toString(), files, parity,
        new Manifest.Source("test-fixture", 0, "unknown"), null);
    Json.write(folder.resolve(ModelLayout.MANIFEST_JSON), manifest);
  }
}
