package org.minibert.trainer.export;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.trainer.data.DatasetInfo;
import org.minibert.trainer.evaluate.EvaluationReport;
import org.minibert.trainer.evaluate.HeldOutText;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.TrainedRun;
import org.minibert.trainer.train.MetricsLog;
import org.minibert.trainer.train.MetricsRecord;

/**
 * Turns a training run into the files of one model version (see {@link ModelLayout}), in a local
 * folder that the registry then publishes (and completes with {@code manifest.json}):
 *
 * <ul>
 *   <li>{@code model.onnx} and {@code model.serving.onnx}: the run's latest checkpoint through
 *       {@link BertOnnxExporter} (Hugging Face's layout, and the service's graph), accepted only
 *       when {@link ParityCheck} finds both within {@link ParityCheck#TOLERANCE} of the DJL model;
 *   <li>{@code model.safetensors}: the same weights as Hugging Face's {@code BertForPreTraining}
 *       state dict ({@link HuggingFaceWeights});
 *   <li>{@code tokenizer.json}, {@code tokenizer_config.json}: copied from the run's data set;
 *   <li>{@code config.json}: Hugging Face {@code BertConfig} keys, so the folder reads like a
 *       Hugging Face model;
 *   <li>{@code metrics.json}: the final train and validation figures, the data set summary, and the
 *       run's {@code evaluation.json} (cloze probes, held-out text) when the evaluate command has
 *       written one.
 * </ul>
 *
 * Each file is written atomically; the folder as a whole is complete once {@link #write} returns
 * (publishing relies on the manifest for that, not on this folder). If anything fails, parity
 * included, the folder is removed.
 */
public final class VersionFolderWriter {

  /**
   * Batches the parity check runs (lengths 1 .. max positions, {@value ParityCheck#BATCH_SIZE} rows
   * each).
   */
  public static final int PARITY_BATCHES = 8;

  public static final long PARITY_SEED = 42;

  /**
   * What the manifest of the version needs, besides the files' digests.
   *
   * @param folder the version folder
   * @param files the files written, in {@link ModelLayout} order
   * @param parity the full parity figures ({@link ParityCheck.Result#toManifest()} for the
   *     manifest)
   * @param source the run, the checkpoint's step, and the git commit of this build
   * @param validationLoss the loss of the run's last validation, null if it never validated
   * @param heldOutText the {@code text} score of the run's {@code evaluation.json} ({@code evaluate
   *     --text}), null when there is none
   */
  public record ExportedVersion(
      Path folder,
      List<Path> files,
      ParityCheck.Result parity,
      Manifest.Source source,
      Double validationLoss,
      Manifest.HeldOutText heldOutText) {}

  /**
   * Thrown when the ONNX model does not reproduce the trained one; the version must not be
   * published.
   */
  public static final class ParityFailedException extends IllegalStateException {
    private final transient ParityCheck.Result result;

    ParityFailedException(ParityCheck.Result result) {
      super(
          String.format(
              "ONNX parity check failed: max |DJL - ONNX Runtime| = %.3g > tolerance %.1g (logits"
                  + " %.3g, nsp_logits %.3g, serving graph %.3g)",
              result.maxAbsDiff(),
              result.tolerance(),
              result.logitsMaxAbsDiff(),
              result.nspMaxAbsDiff(),
              result.servingMaxAbsDiff()));
      this.result = result;
    }

    public ParityCheck.Result result() {
      return result;
    }
  }

  /** The figures of {@code metrics.json}. */
  record VersionMetrics(
      long checkpointStep,
      MetricsRecord train,
      MetricsRecord validation,
      DatasetSummary dataset,
      JsonNode evaluation) {}

  /** The data set part of {@code metrics.json}: {@link DatasetInfo} without its file list. */
  record DatasetSummary(
      List<String> inputs,
      int maxSeqLen,
      double valFraction,
      DatasetInfo.CorpusSummary corpus,
      Map<String, DatasetInfo.SplitSummary> splits,
      DatasetInfo.TokenizerSummary tokenizer) {}

  private VersionFolderWriter() {}

  /**
   * {@link #write(Path, Path, int, long)} with {@link #PARITY_BATCHES} batches from {@link
   * #PARITY_SEED}.
   */
  public static ExportedVersion write(Path runDir, Path versionDir) throws IOException {
    return write(runDir, versionDir, PARITY_BATCHES, PARITY_SEED);
  }

  /**
   * Exports the latest checkpoint of {@code runDir} into {@code versionDir}.
   *
   * @param versionDir created if absent; must be empty otherwise
   * @throws IllegalArgumentException if the run has no checkpoint, its data set folder (for the
   *     tokenizer) is gone, or {@code versionDir} is not empty
   * @throws ParityFailedException if ONNX Runtime does not reproduce the DJL model (the folder is
   *     then removed)
   */
  public static ExportedVersion write(
      Path runDir, Path versionDir, int parityBatches, long paritySeed) throws IOException {
    RunConfig run = RunConfig.read(runDir);
    DatasetInfo dataset = DatasetInfo.read(run.training().data());
    if (FileTrees.isNonEmptyFolder(versionDir)) {
      throw new IllegalArgumentException("version folder " + versionDir + " is not empty");
    }
    Files.createDirectories(versionDir);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      TrainedRun trained = TrainedRun.load(runDir, manager);
      return writeFiles(trained, dataset, versionDir, parityBatches, paritySeed);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteRecursively(versionDir);
      throw e;
    }
  }

  private static ExportedVersion writeFiles(
      TrainedRun trained, DatasetInfo dataset, Path versionDir, int parityBatches, long paritySeed)
      throws IOException {
    Path runDir = trained.runDir();
    RunConfig run = trained.config();
    long step = trained.step();
    Path data = run.training().data();
    ParityCheck.Result parity = writeOnnx(trained.model(), versionDir, parityBatches, paritySeed);
    HuggingFaceWeights.write(trained.model(), versionDir.resolve(ModelLayout.MODEL_SAFETENSORS));
    copy(data.resolve(ModelLayout.TOKENIZER_JSON), versionDir.resolve(ModelLayout.TOKENIZER_JSON));
    copy(
        data.resolve(ModelLayout.TOKENIZER_CONFIG_JSON),
        versionDir.resolve(ModelLayout.TOKENIZER_CONFIG_JSON));
    Json.write(
        versionDir.resolve(ModelLayout.CONFIG_JSON),
        huggingFaceConfig(run.model(), run.numParameters()));

    List<MetricsRecord> records = MetricsLog.read(runDir.resolve(MetricsLog.JSONL));
    MetricsRecord validation = last(records, MetricsRecord.VAL);
    Path evaluationFile = runDir.resolve(EvaluationReport.FILE);
    JsonNode evaluation =
        Files.isRegularFile(evaluationFile) ? Json.MAPPER.readTree(evaluationFile.toFile()) : null;
    Json.write(
        versionDir.resolve(ModelLayout.METRICS_JSON),
        new VersionMetrics(
            step, last(records, MetricsRecord.TRAIN), validation, summary(dataset), evaluation));

    List<Path> files = new ArrayList<>();
    for (String name :
        List.of(
            ModelLayout.MODEL_ONNX,
            ModelLayout.MODEL_SERVING_ONNX,
            ModelLayout.MODEL_SAFETENSORS,
            ModelLayout.TOKENIZER_JSON,
            ModelLayout.TOKENIZER_CONFIG_JSON,
            ModelLayout.CONFIG_JSON,
            ModelLayout.METRICS_JSON)) {
      files.add(versionDir.resolve(name));
    }
    Manifest.Source source =
        new Manifest.Source(
            runDir.toAbsolutePath().normalize().toString(), step, BuildInfo.gitCommit());
    return new ExportedVersion(
        versionDir,
        files,
        parity,
        source,
        validation == null ? null : validation.loss(),
        heldOutText(evaluation));
  }

  /**
   * The held-out text score of an {@code evaluation.json} ({@link EvaluationReport#text()}), or
   * null when it has none or one that cannot be compared (no sha256, a loss that is not a finite
   * number).
   */
  static Manifest.HeldOutText heldOutText(JsonNode evaluation) throws IOException {
    JsonNode text = evaluation == null ? null : evaluation.get("text");
    if (text == null || !text.isObject()) {
      return null;
    }
    HeldOutText.Report report = Json.MAPPER.treeToValue(text, HeldOutText.Report.class);
    if (report.sha256() == null
        || report.sha256().isBlank()
        || report.maskedPieces() <= 0
        || !Double.isFinite(report.mlmLoss())) {
      return null;
    }
    return new Manifest.HeldOutText(report.sha256(), report.mlmLoss(), report.top1());
  }

  /**
   * The Hugging Face {@code config.json} of a {@code BertForPreTraining} (plus {@code
   * num_parameters}): the keys transformers reads, with this project's fixed choices (GELU,
   * absolute positions, pad id 0).
   */
  public static Map<String, Object> huggingFaceConfig(BertConfig config, long numParameters) {
    Map<String, Object> hf = new LinkedHashMap<>();
    hf.put("model_type", "bert");
    hf.put("architectures", List.of("BertForPreTraining"));
    hf.put("vocab_size", config.vocabSize());
    hf.put("hidden_size", config.hiddenSize());
    hf.put("num_hidden_layers", config.numHiddenLayers());
    hf.put("num_attention_heads", config.numAttentionHeads());
    hf.put("intermediate_size", config.intermediateSize());
    hf.put("max_position_embeddings", config.maxPositionEmbeddings());
    hf.put("type_vocab_size", config.typeVocabSize());
    hf.put("layer_norm_eps", config.layerNormEps());
    hf.put("hidden_act", "gelu");
    hf.put("hidden_dropout_prob", config.hiddenDropoutProb());
    hf.put("attention_probs_dropout_prob", config.attentionProbsDropoutProb());
    hf.put("initializer_range", config.initializerRange());
    hf.put("position_embedding_type", "absolute");
    hf.put("pad_token_id", 0);
    hf.put("name", config.name());
    hf.put("num_parameters", numParameters);
    return hf;
  }

  /** Writes both ONNX files and checks them; throws if parity fails. */
  private static ParityCheck.Result writeOnnx(
      BertForPreTraining model, Path versionDir, int batches, long seed) throws IOException {
    Path onnx = versionDir.resolve(ModelLayout.MODEL_ONNX);
    Path serving = versionDir.resolve(ModelLayout.MODEL_SERVING_ONNX);
    try {
      BertOnnxExporter.write(BertOnnxExporter.build(model), onnx);
      BertOnnxExporter.write(BertOnnxExporter.buildServing(model), serving);
      ParityCheck.Result parity = ParityCheck.check(model, onnx, serving, batches, seed);
      if (!parity.passed()) {
        throw new ParityFailedException(parity);
      }
      return parity;
    } catch (OrtException e) {
      throw new IOException(
          "ONNX Runtime could not run the exported model " + onnx + ": " + e.getMessage(), e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isRegularFile(from)) {
      throw new IllegalArgumentException(
          "the run's data set has no " + from.getFileName() + ": " + from);
    }
    AtomicFiles.write(to, out -> Files.copy(from, out));
  }

  private static MetricsRecord last(List<MetricsRecord> records, String split) {
    MetricsRecord last = null;
    for (MetricsRecord r : records) {
      if (r.split().equals(split)) {
        last = r;
      }
    }
    return last;
  }

  private static DatasetSummary summary(DatasetInfo info) {
    return new DatasetSummary(
        info.inputs(),
        info.maxSeqLen(),
        info.valFraction(),
        info.corpus(),
        info.splits(),
        info.tokenizer());
  }
}
