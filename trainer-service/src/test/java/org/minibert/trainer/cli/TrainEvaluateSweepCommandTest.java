package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.evaluate.ClozeProbes;
import org.minibert.trainer.evaluate.EvaluationReport;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.train.MetricsLog;
import org.minibert.trainer.train.MetricsRecord;
import org.minibert.trainer.train.Sweep;

/** train, evaluate and sweep through the command line, on the sample corpus with a tiny model. */
class TrainEvaluateSweepCommandTest {
  @TempDir static Path shared;
  static Path data;
  static Path tiny;

  @BeforeAll
  static void prepare() {
    data = TinyRuns.prepareSample(shared.resolve("data"), 800, 64);
    tiny = TinyRuns.tinyConfig(shared.resolve("tiny.json"), 32, 1, 64);
  }

  @Test
  void trainsThenEvaluatesWithProbes(@TempDir Path tmp) throws IOException {
    Path run = tmp.resolve("run");
    CliRun train =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--config",
            tiny.toString(),
            "--out",
            run.toString(),
            "--max-steps",
            "8",
            "--log-every",
            "4");
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out()).contains("trained", "8 steps", "sequences/s", "validation loss");

    CliRun evaluate =
        CliRun.of(
            "evaluate",
            "--run",
            run.toString(),
            "--probes",
            "../samples/probes.tsv",
            "--text",
            "../samples/heldout/everyday-ko.txt");
    assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
    assertThat(evaluate.out())
        .contains(
            "checkpoint at step 8",
            "cloze probes",
            "top-1",
            "대한민국의 수도는 [MASK]이다.",
            "whole words masked",
            "held-out text (150 passages",
            "unigram baseline",
            "Part 1:");
    EvaluationReport report = EvaluationReport.read(run).orElseThrow();
    assertThat(report.text().passages()).isEqualTo(150);
    assertThat(report.text().unigramTop1()).isPositive();
    assertThat(report.validationWholeWord().instances()).isEqualTo(report.validation().instances());
    // single pieces and whole words are masked differently, whichever the run trained with
    assertThat(report.validation().mlmLoss()).isNotEqualTo(report.validationWholeWord().mlmLoss());
    assertThat(report.text().maskedWords()).isPositive();
    assertThat(report.text().wordTop1()).isBetween(0.0, 1.0);
    assertThat(report.probes().sections())
        .extracting(ClozeProbes.Section::probes)
        .containsExactly(39, 10);
    assertThat(report.probes().probes()).isEqualTo(49);
    assertThat(report.probes().outcomes()).allSatisfy(o -> assertThat(o.top5()).hasSize(5));
    assertThat(report.validation().instances()).isPositive();
  }

  @Test
  void helpShowsTheDefaultsOfTrainOptions() {
    TrainOptions defaults = TrainOptions.defaults();
    CliRun train = CliRun.of("train", "--help");
    assertThat(train.exitCode()).isZero();
    assertThat(train.out().replaceAll("\\s+", " "))
        .contains(
            "(default: " + defaults.config() + ")",
            "(default: " + defaults.weightDecay() + ")",
            "(default: " + defaults.evalInstances() + ")");
    CliRun sweep = CliRun.of("sweep", "--help");
    assertThat(sweep.out().replaceAll("\\s+", " "))
        .contains(
            "(default: [" + defaults.config() + "])", "(default: " + defaults.batchSize() + ")");
  }

  @Test
  void trainRejectsBadArgumentsWithOneLine(@TempDir Path tmp) throws IOException {
    CliRun lr =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--out",
            tmp.resolve("a").toString(),
            "--max-lr",
            "0");
    assertThat(lr.exitCode()).isNotZero();
    assertThat(lr.errorLine())
        .isEqualTo("minibert train: error: --max-lr must be a positive number, got 0.0");

    CliRun config =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--out",
            tmp.resolve("b").toString(),
            "--config",
            "huge");
    assertThat(config.errorLine()).contains("unknown model config 'huge'").doesNotContain("\n");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun noData =
        CliRun.of("train", "--data", empty.toString(), "--out", tmp.resolve("c").toString());
    assertThat(noData.errorLine()).contains("not a prepared data set").doesNotContain("\n");

    CliRun badProbes = CliRun.of("evaluate", "--run", tmp.resolve("nothing").toString());
    assertThat(badProbes.errorLine()).contains("not a training run");
  }

  @Test
  void sweepComparesRecipesSideBySide(@TempDir Path tmp) throws IOException {
    Path sweep = tmp.resolve("recipes");
    CliRun run =
        CliRun.of(
            "sweep",
            "--data",
            data.toString(),
            "--out",
            sweep.toString(),
            "--configs",
            tiny.toString(),
            "--recipes",
            "bert,mosaic,cramming",
            "--max-steps",
            "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(sweep.resolve(Sweep.SUMMARY_CSV)))
        .contains("tiny-lr1e-03,", "tiny-lr1e-03-mosaic,", ",mosaic,", ",cramming,");
    assertThat(Files.readString(sweep.resolve(Sweep.SUMMARY_MD))).contains("val MLM loss");
    TrainOptions mosaic = RunConfig.read(sweep.resolve("tiny-lr1e-03-mosaic")).training();
    assertThat(mosaic.objective()).isEqualTo(TrainOptions.Objective.MLM);
    assertThat(mosaic.maskRate()).isEqualTo(0.3);
    assertThat(mosaic.hiddenDropout()).isEqualTo(0.1);
    assertThat(mosaic.attentionDropout()).isZero();
    TrainOptions cramming = RunConfig.read(sweep.resolve("tiny-lr1e-03-cramming")).training();
    assertThat(cramming.maskRate()).isEqualTo(0.25);
    assertThat(cramming.clipNorm()).isEqualTo(0.5);
    assertThat(cramming.hiddenDropout()).isZero();
    assertThat(RunConfig.read(sweep.resolve("tiny-lr1e-03")).training().objective())
        .isEqualTo(TrainOptions.Objective.MLM_NSP);
    // masked LM alone has no next-sentence figures; BERT's recipe has them
    assertThat(MetricsLog.read(sweep.resolve("tiny-lr1e-03-mosaic").resolve(MetricsLog.JSONL)))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.nspLoss()).isNaN())
        .allSatisfy(r -> assertThat(r.loss()).isEqualTo(r.mlmLoss()));
    assertThat(MetricsLog.read(sweep.resolve("tiny-lr1e-03").resolve(MetricsLog.JSONL)))
        .allSatisfy(r -> assertThat(r.nspLoss()).isFinite());
    CliRun bad =
        CliRun.of(
            "sweep",
            "--data",
            data.toString(),
            "--out",
            tmp.resolve("x").toString(),
            "--recipes",
            "magic");
    assertThat(bad.errorLine()).contains("unknown recipe 'magic'");
  }

  @Test
  void sweepComparesLearningRatesInOneTable(@TempDir Path tmp) throws IOException {
    Path sweep = tmp.resolve("sweep");
    CliRun run =
        CliRun.of(
            "sweep",
            "--data",
            data.toString(),
            "--out",
            sweep.toString(),
            "--configs",
            tiny.toString(),
            "--max-lrs",
            "1e-3,1.5e-3",
            "--max-steps",
            "4");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("tiny-lr1e-03", "tiny-lr1.5e-03", "2 runs");
    assertThat(Files.readAllLines(sweep.resolve(Sweep.SUMMARY_CSV))).hasSize(3);
    assertThat(sweep.resolve(Sweep.SUMMARY_PNG)).exists();

    // started again, the finished runs are kept, not redone, and report the same figures
    String first = Files.readString(sweep.resolve(Sweep.SUMMARY_CSV));
    CliRun again =
        CliRun.of(
            "sweep",
            "--data",
            data.toString(),
            "--out",
            sweep.toString(),
            "--configs",
            tiny.toString(),
            "--max-lrs",
            "1e-3,1.5e-3",
            "--max-steps",
            "4");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readString(sweep.resolve(Sweep.SUMMARY_CSV))).isEqualTo(first);
    assertThat(MetricsLog.read(sweep.resolve("tiny-lr1e-03").resolve(MetricsLog.JSONL)))
        .filteredOn(r -> r.split().equals(MetricsRecord.TRAIN))
        .extracting(MetricsRecord::step)
        .doesNotHaveDuplicates();
  }
}
