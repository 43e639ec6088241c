package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.TrainerCli;
import org.minibert.trainer.evaluate.EvaluationReport;
import org.minibert.trainer.evaluate.HeldOutText;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.train.MetricsLog;
import org.minibert.trainer.train.MetricsRecord;
import picocli.CommandLine;

/**
 * A real run, exported: the sample corpus prepared (vocabulary 200, sequences of 32), a tiny BERT
 * (2 x 32, 2 heads) trained for 20 steps with the train command, then written as a version folder.
 * Trained weights are the case that matters for parity: they are larger and less regular than an
 * initialisation.
 */
class VersionFolderWriterTest {

  @TempDir static Path tmp;
  static Path data;
  static Path run;

  @BeforeAll
  static void prepareAndTrain() {
    data = TinyRuns.prepareSample(tmp.resolve("data"), 200, 32);
    run = tmp.resolve("run");
    Path config = TinyRuns.tinyConfig(tmp.resolve("tiny.json"), 32, 2, 32);
    cli(
        "train",
        "--data",
        data.toString(),
        "--config",
        config.toString(),
        "--out",
        run.toString(),
        "--max-steps",
        "20",
        "--log-every",
        "5",
        "--eval-instances",
        "50",
        "--device",
        "CPU");
  }

  @Test
  void writesEveryFileOfAVersionWithATrainedModelWithinTolerance() throws IOException {
    Path version = tmp.resolve("v-complete");
    long start = System.nanoTime();
    VersionFolderWriter.ExportedVersion exported = VersionFolderWriter.write(run, version);
    System.out.printf(
        "tiny trained export: parity %s in %.1f s%n",
        exported.parity(), (System.nanoTime() - start) / 1e9);

    assertThat(exported.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            ModelLayout.MODEL_ONNX,
            ModelLayout.MODEL_SERVING_ONNX,
            ModelLayout.MODEL_SAFETENSORS,
            ModelLayout.TOKENIZER_JSON,
            ModelLayout.TOKENIZER_CONFIG_JSON,
            ModelLayout.CONFIG_JSON,
            ModelLayout.METRICS_JSON);
    try (var listed = Files.list(version)) {
      assertThat(listed.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              exported.files().stream()
                  .map(p -> p.getFileName().toString())
                  .toArray(String[]::new));
    }
    assertThat(exported.parity().passed()).isTrue();
    assertThat(exported.parity().maxAbsDiff()).isLessThan(1e-4);
    assertThat(exported.parity().servingMaxAbsDiff())
        .as("the serving graph is checked too")
        .isGreaterThan(0)
        .isLessThan(1e-4);
    assertThat(exported.parity().batches()).isEqualTo(VersionFolderWriter.PARITY_BATCHES);
    assertThat(exported.source().step()).isEqualTo(20);
    assertThat(exported.source().run()).isEqualTo(run.toAbsolutePath().normalize().toString());
    assertThat(exported.source().gitCommit())
        .isEqualTo(BuildInfo.gitCommit())
        .matches("[0-9a-f]{40}|unknown");
    List<MetricsRecord> records = MetricsLog.read(run.resolve(MetricsLog.JSONL));
    MetricsRecord lastVal =
        records.stream()
            .filter(r -> r.split().equals(MetricsRecord.VAL))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(exported.validationLoss()).isEqualTo(lastVal.loss());

    assertThat(version.resolve(ModelLayout.TOKENIZER_JSON))
        .hasSameBinaryContentAs(data.resolve(ModelLayout.TOKENIZER_JSON));
    assertThat(version.resolve(ModelLayout.TOKENIZER_CONFIG_JSON))
        .hasSameBinaryContentAs(data.resolve(ModelLayout.TOKENIZER_CONFIG_JSON));
    try (InputStream in = Files.newInputStream(version.resolve(ModelLayout.MODEL_ONNX))) {
      ModelProto model = ModelProto.parseFrom(in);
      assertThat(
              model
                  .getGraph()
                  .getOutput(0)
                  .getType()
                  .getTensorType()
                  .getShape()
                  .getDim(2)
                  .getDimValue())
          .isEqualTo(200);
    }
  }

  @Test
  void configJsonHasTheHuggingFaceBertKeys() throws IOException {
    Path version = tmp.resolve("v-config");
    VersionFolderWriter.write(run, version, 1, 1);
    JsonNode config = Json.MAPPER.readTree(version.resolve(ModelLayout.CONFIG_JSON).toFile());

    assertThat(config.get("model_type").asText()).isEqualTo("bert");
    assertThat(config.get("architectures").get(0).asText()).isEqualTo("BertForPreTraining");
    assertThat(config.get("hidden_act").asText()).isEqualTo("gelu");
    assertThat(config.get("pad_token_id").asInt()).isZero();
    assertThat(config.get("vocab_size").asInt()).isEqualTo(200);
    assertThat(config.get("hidden_size").asInt()).isEqualTo(32);
    assertThat(config.get("num_hidden_layers").asInt()).isEqualTo(2);
    assertThat(config.get("num_attention_heads").asInt()).isEqualTo(2);
    assertThat(config.get("intermediate_size").asInt()).isEqualTo(64);
    assertThat(config.get("max_position_embeddings").asInt()).isEqualTo(32);
    assertThat(config.get("type_vocab_size").asInt()).isEqualTo(2);
    assertThat(config.get("layer_norm_eps").asDouble()).isEqualTo(1e-12);
    assertThat(config.get("initializer_range").asDouble()).isEqualTo(0.02);
    assertThat(config.get("hidden_dropout_prob").asDouble()).isEqualTo(0.1);
    assertThat(config.get("attention_probs_dropout_prob").asDouble()).isEqualTo(0.1);
    assertThat(config.get("num_parameters").asLong())
        .isEqualTo(RunConfig.read(run).numParameters());
  }

  @Test
  void metricsJsonHasTheFinalFiguresTheDataSetAndTheEvaluationWhenThereIsOne() throws IOException {
    Path without = tmp.resolve("v-no-eval");
    VersionFolderWriter.write(run, without, 1, 1);
    JsonNode metrics = Json.MAPPER.readTree(without.resolve(ModelLayout.METRICS_JSON).toFile());
    assertThat(metrics.get("checkpoint_step").asLong()).isEqualTo(20);
    assertThat(metrics.get("train").get("step").asLong()).isEqualTo(20);
    assertThat(metrics.get("validation").get("loss").asDouble()).isPositive();
    assertThat(metrics.get("dataset").get("tokenizer").get("vocab_size").asInt()).isEqualTo(200);
    assertThat(metrics.get("dataset").get("splits").has("val")).isTrue();
    assertThat(metrics.get("evaluation").isNull()).isTrue();

    Path runWithEvaluation = tmp.resolve("run-evaluated");
    copyTree(run, runWithEvaluation);
    Files.writeString(
        runWithEvaluation.resolve(org.minibert.trainer.evaluate.EvaluationReport.FILE),
        "{\"probes\": {\"top1\": 0.25}}");
    Path with = tmp.resolve("v-eval");
    VersionFolderWriter.write(runWithEvaluation, with, 1, 1);
    JsonNode evaluated = Json.MAPPER.readTree(with.resolve(ModelLayout.METRICS_JSON).toFile());
    assertThat(evaluated.get("evaluation").get("probes").get("top1").asDouble()).isEqualTo(0.25);
  }

  @Test
  void theManifestCarriesTheHeldOutTextScoreWhenEvaluationJsonHasOne() throws IOException {
    RunPublisher.Published plain =
        RunPublisher.publish(
            run,
            new ModelRepository(new LocalFolderStore(tmp.resolve("store-plain")), "tiny"),
            Promotion.IF_BETTER);
    assertThat(plain.exported().heldOutText()).isNull();
    assertThat(plain.result().manifest().heldOutText()).isNull();

    Path runWithText = tmp.resolve("run-text");
    copyTree(run, runWithText);
    String sha256 = "0123abcd" + "e".repeat(56);
    new EvaluationReport(
            "2026-11-26T12:00:00Z",
            20,
            data.toString(),
            null,
            null,
            null,
            new HeldOutText.Report(
                List.of("held-out.txt"),
                sha256,
                12,
                40,
                5.25,
                0.125,
                0.3,
                0.05,
                0.15,
                20,
                0.1,
                0.0,
                9.5,
                10.25))
        .write(runWithText);
    ModelRepository repository =
        new ModelRepository(new LocalFolderStore(tmp.resolve("store-text")), "tiny");
    RunPublisher.Published scored =
        RunPublisher.publish(runWithText, repository, Promotion.IF_BETTER);
    Manifest.HeldOutText expected = new Manifest.HeldOutText(sha256, 5.25, 0.125);
    assertThat(scored.exported().heldOutText()).isEqualTo(expected);
    assertThat(scored.result().manifest().heldOutText()).isEqualTo(expected);
    assertThat(repository.manifest(scored.result().version()).heldOutText()).isEqualTo(expected);
    JsonNode metrics =
        Json.MAPPER.readTree(
            repository
                .fetch(scored.result().version(), tmp.resolve("cache-text"))
                .resolve(ModelLayout.METRICS_JSON)
                .toFile());
    assertThat(metrics.get("evaluation").get("text").get("sha256").asText()).isEqualTo(sha256);

    // the same checkpoint and text again: the held-out text decides, and a tie keeps LATEST
    RunPublisher.Published again =
        RunPublisher.publish(runWithText, repository, Promotion.IF_BETTER);
    assertThat(again.result().promoted()).isFalse();
    assertThat(again.result().reason())
        .isEqualTo(
            "kept LATEST at "
                + scored.result().version()
                + ": held-out text loss 5.25 is not better than 5.25 (same text, sha256 0123abcd)");
  }

  @Test
  void anEvaluationWithoutAComparableTextScoreGivesNone() throws IOException {
    assertThat(VersionFolderWriter.heldOutText(null)).isNull();
    assertThat(
            VersionFolderWriter.heldOutText(Json.MAPPER.readTree("{\"probes\": {\"top1\": 0.25}}")))
        .isNull();
    assertThat(VersionFolderWriter.heldOutText(Json.MAPPER.readTree("{\"text\": null}"))).isNull();
    assertThat(
            VersionFolderWriter.heldOutText(
                Json.MAPPER.readTree("{\"text\": {\"mlm_loss\": 5.0, \"masked_pieces\": 3}}")))
        .isNull();
    assertThat(
            VersionFolderWriter.heldOutText(
                Json.MAPPER.readTree(
                    "{\"text\": {\"sha256\": \"ab\", \"mlm_loss\": 0, \"masked_pieces\": 0}}")))
        .isNull();
    assertThat(
            VersionFolderWriter.heldOutText(
                Json.MAPPER.readTree(
                    "{\"text\": {\"sha256\": \"ab\", \"mlm_loss\": 5.0, \"top1\": 0.5,"
                        + " \"masked_pieces\": 3}}")))
        .isEqualTo(new Manifest.HeldOutText("ab", 5.0, 0.5));
  }

  @Test
  void refusesAFolderThatIsNotEmptyAndARunWithoutCheckpoint() throws IOException {
    Path used = Files.createDirectories(tmp.resolve("v-used"));
    Files.writeString(used.resolve("other.txt"), "x");
    assertThatThrownBy(() -> VersionFolderWriter.write(run, used, 1, 1))
        .hasMessageContaining("not empty");

    Path fresh = Files.createDirectories(tmp.resolve("run-fresh"));
    Files.copy(run.resolve(RunConfig.FILE), fresh.resolve(RunConfig.FILE));
    Path version = tmp.resolve("v-fresh");
    assertThatThrownBy(() -> VersionFolderWriter.write(fresh, version, 1, 1))
        .hasMessageContaining("no checkpoint");
    assertThat(version).doesNotExist();
  }

  private static void cli(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = TrainerCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
