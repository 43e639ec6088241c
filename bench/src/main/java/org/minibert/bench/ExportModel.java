package org.minibert.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.PublishResult;
import org.minibert.core.registry.VersionDetails;
import org.minibert.trainer.corpus.Corpus;
import org.minibert.trainer.corpus.CorpusStats;
import org.minibert.trainer.export.BertOnnxExporter;
import org.minibert.trainer.export.ParityCheck;
import org.minibert.trainer.export.VersionFolderWriter;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;
import org.minibert.trainer.tokenizer.Vocabulary;
import org.minibert.trainer.tokenizer.WordPieceTrainer;

/**
 * Makes a real model version folder with the project's own code: a WordPiece vocabulary trained on
 * the bundled sample corpus, a randomly initialised (seeded) {@link BertForPreTraining}, exported
 * by {@link BertOnnxExporter} (both graphs) and parity-checked by {@link ParityCheck}; and
 * publishes such a folder with {@link ModelRepository}.
 *
 * <p>Used by {@link TinyModelFixtureTest} ({@code tiny}: 2 layers of 32, 64 positions, 300 tokens:
 * the inference service's committed test model) and by the benchmark ({@code deep-6L-96D}: the
 * shipped 6-layer shape).
 */
public final class ExportModel {
  /** Beside an exported folder: the parity figures of its export, for publishing it. */
  public static final String PARITY_SUFFIX = ".parity.json";

  private ExportModel() {}

  static BertConfig config(String name) {
    if ("tiny".equals(name)) {
      return new BertConfig("tiny-2L-32D", 0, 32, 2, 2, 64, 64, 2, 0.1, 0.1, 1e-12, 0.02);
    }
    return BertConfig.resolve(name);
  }

  /** Publishes an exported folder as a new version and moves LATEST to it. */
  public static PublishResult publish(ModelRepository repository, Path folder) throws IOException {
    Manifest.Parity parity =
        Json.read(
            folder.resolveSibling(folder.getFileName() + PARITY_SUFFIX), Manifest.Parity.class);
    return repository.publish(
        folder,
        new VersionDetails(parity, new Manifest.Source("test-fixture", 0, "unknown"), null),
        Promotion.ALWAYS);
  }

  /**
   * Writes the version folder (without manifest: publishing adds it) and the parity figures beside
   * it.
   */
  public static Path export(Path folder, String configName, int vocabSize, Path corpus)
      throws Exception {
    // ONNX Runtime's native library before PyTorch's (the parity check uses both in this JVM)
    ai.onnxruntime.OrtEnvironment.getEnvironment();
    WordPieceTrainer trainer = new WordPieceTrainer(vocabSize, 1, 1);
    Corpus.read(
        List.of(corpus),
        document -> document.sentences().forEach(trainer::addText),
        new CorpusStats());
    Vocabulary vocabulary = trainer.train();
    BertConfig config = config(configName).withVocabSize(vocabulary.size());

    Files.createDirectories(folder);
    TokenizerJsonWriter.write(vocabulary, config.maxPositionEmbeddings(), folder);

    Engine.getInstance().setRandomSeed(42);
    try (NDManager manager = NDManager.newBaseManager()) {
      BertForPreTraining bert = new BertForPreTraining(config);
      bert.initialize(manager);
      Path onnx = folder.resolve(ModelLayout.MODEL_ONNX);
      Path serving = folder.resolve(ModelLayout.MODEL_SERVING_ONNX);
      BertOnnxExporter.write(BertOnnxExporter.build(bert), onnx);
      BertOnnxExporter.write(BertOnnxExporter.buildServing(bert), serving);
      ParityCheck.Result parity = ParityCheck.check(bert, onnx, serving, 2, 42);
      if (!parity.passed()) {
        throw new IllegalStateException("parity check failed: " + parity);
      }
      Json.write(folder.resolveSibling(folder.getFileName() + PARITY_SUFFIX), parity.toManifest());
      Json.write(
          folder.resolve(ModelLayout.CONFIG_JSON),
          VersionFolderWriter.huggingFaceConfig(config, bert.parameterCount()));
    }
    Json.write(
        folder.resolve(ModelLayout.METRICS_JSON),
        Map.of("note", "randomly initialised test model (not trained)", "step", 0));
    return folder;
  }
}
