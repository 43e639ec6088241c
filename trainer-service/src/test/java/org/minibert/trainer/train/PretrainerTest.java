package org.minibert.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.run.Checkpoint;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.TrainOptions;

/** The training loop end to end on the sample corpus with a tiny model. */
class PretrainerTest {
  @TempDir static Path shared;
  static Path data;
  static Path tinyConfig;

  @BeforeAll
  static void prepare() {
    data = TinyRuns.prepareSample(shared.resolve("data"), 600, 64);
    tinyConfig = TinyRuns.tinyConfig(shared.resolve("tiny.json"), 32, 2, 64);
  }

  /** A tiny run: 3 epochs of batches of 8, every validation instance, a train line every step. */
  static TrainOptions.Builder tiny() {
    return TrainOptions.builder()
        .data(data)
        .config(tinyConfig.toString())
        .epochs(3)
        .batchSize(8)
        .seed(7)
        .logEvery(1)
        .evalInstances(0)
        .maxBadSteps(3);
  }

  static TrainOptions options(long maxSteps, int checkpointEvery) {
    return tiny().maxSteps(maxSteps).checkpointEvery(checkpointEvery).build();
  }

  @Test
  void writesConfigMetricsPlotsAndACheckpoint(@TempDir Path run) throws Exception {
    Pretrainer.Summary summary =
        Pretrainer.open(run, options(12, 0), false, ComputeDevice.Choice.CPU).run();

    assertThat(summary.steps()).isEqualTo(12);
    assertThat(summary.validation()).isNotNull();
    JsonNode config = Json.MAPPER.readTree(run.resolve(RunConfig.FILE).toFile());
    assertThat(config.path("num_parameters").asLong())
        .isEqualTo(summary.numParameters())
        .isPositive();
    assertThat(config.path("model").path("vocab_size").asInt()).isEqualTo(600);
    List<MetricsRecord> records = MetricsLog.read(run.resolve(MetricsLog.JSONL));
    assertThat(records).filteredOn(r -> r.split().equals(MetricsRecord.TRAIN)).hasSize(12);
    assertThat(records).filteredOn(r -> r.split().equals(MetricsRecord.VAL)).isNotEmpty();
    assertThat(run.resolve(MetricsLog.CSV)).exists();
    assertThat(run.resolve(TrainingPlots.LOSS_PNG)).exists();
    assertThat(Checkpoint.latest(run)).isPresent();
    assertThat(Checkpoint.readState(Checkpoint.latest(run).get()).step()).isEqualTo(12);
  }

  @Test
  void resumeGivesTheSameLossesAsAnUninterruptedRun(@TempDir Path runs) throws Exception {
    Path whole = runs.resolve("whole");
    Pretrainer.open(whole, options(16, 0), false, ComputeDevice.Choice.CPU).run();

    Path sliced = runs.resolve("sliced");
    Pretrainer.open(sliced, options(16, 0), false, ComputeDevice.Choice.CPU).runUntil(9);
    assertThat(Checkpoint.readState(Checkpoint.latest(sliced).get()).step()).isEqualTo(9);
    // a different option on the command line is ignored on resume: the run keeps its own settings
    Pretrainer.open(sliced, options(500, 0), true, ComputeDevice.Choice.CPU).run();

    List<Double> expected = trainLosses(whole);
    assertThat(expected).hasSize(16);
    assertThat(trainLosses(sliced))
        .hasSize(16)
        .usingComparatorForType(SAME_LOSS, Double.class)
        .isEqualTo(expected);
  }

  /**
   * Losses equal to 1e-5: the CPU kernels' multi-threaded sums may round differently from one run
   * to the next (seen at the 7th digit), while another seed or a lost step moves a loss by far
   * more.
   */
  private static final Comparator<Double> SAME_LOSS =
      (a, b) -> Math.abs(a - b) < 1e-5 ? 0 : Double.compare(a, b);

  @Test
  void sameSeedSameLosses(@TempDir Path runs) throws Exception {
    Pretrainer.open(runs.resolve("a"), options(6, 0), false, ComputeDevice.Choice.CPU).run();
    Pretrainer.open(runs.resolve("b"), options(6, 0), false, ComputeDevice.Choice.CPU).run();
    assertThat(trainLosses(runs.resolve("b")))
        .usingComparatorForType(SAME_LOSS, Double.class)
        .isEqualTo(trainLosses(runs.resolve("a")));
  }

  @Test
  void theWeightDecayOptionReachesTheOptimizer(@TempDir Path runs) throws Exception {
    TrainOptions usual = options(6, 0);
    TrainOptions strong = tiny().maxSteps(6).checkpointEvery(0).weightDecay(50).build();
    Pretrainer.open(runs.resolve("usual"), usual, false, ComputeDevice.Choice.CPU).run();
    Pretrainer.open(runs.resolve("strong"), strong, false, ComputeDevice.Choice.CPU).run();

    List<Double> a = trainLosses(runs.resolve("usual"));
    List<Double> b = trainLosses(runs.resolve("strong"));
    // the same first step (decay acts in the update), then other weights and so other losses; a run
    // with the same
    // options repeats its losses exactly (sameSeedSameLosses), so any difference is the decay's
    assertThat(b.get(0)).isCloseTo(a.get(0), within(1e-5));
    assertThat(b.get(5)).as("last train loss with weight decay 50 vs 0.01").isNotEqualTo(a.get(5));
  }

  @Test
  void aTinyModelLearnsTheSampleCorpus(@TempDir Path run) throws Exception {
    TrainOptions longer = tiny().epochs(16).maxLr(5e-3).logEvery(10).checkpointEvery(0).build();
    Pretrainer.open(run, longer, false, ComputeDevice.Choice.CPU).run();
    List<Double> losses = trainLosses(run);
    double first = losses.get(0);
    double last = losses.get(losses.size() - 1);
    assertThat(last).as("train loss %s -> %s", first, last).isLessThan(first - 0.5);
  }

  @Test
  void aSliceRunsFromWhereTheRunStandsToItsEpochsEndOrTheStopStep() {
    int stepsPerEpoch = 24;
    assertThat(Pretrainer.Slice.starting(0, 100, stepsPerEpoch))
        .isEqualTo(new Pretrainer.Slice(0, 0, 24));
    assertThat(Pretrainer.Slice.starting(0, 16, stepsPerEpoch))
        .isEqualTo(new Pretrainer.Slice(0, 0, 16));
    // resumed mid-epoch, and stopped mid-epoch
    assertThat(Pretrainer.Slice.starting(9, 16, stepsPerEpoch))
        .isEqualTo(new Pretrainer.Slice(0, 9, 16));
    // after the last step of an epoch, the next epoch starts at its first batch
    assertThat(Pretrainer.Slice.starting(24, 100, stepsPerEpoch))
        .isEqualTo(new Pretrainer.Slice(1, 0, 24));
    assertThat(Pretrainer.Slice.starting(30, 40, stepsPerEpoch))
        .isEqualTo(new Pretrainer.Slice(1, 6, 16));
  }

  @Test
  void refusesANonEmptyRunFolderWithoutResume(@TempDir Path run) throws IOException {
    Files.writeString(run.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> Pretrainer.open(run, options(2, 0), false, ComputeDevice.Choice.CPU))
        .hasMessageContaining("is not empty")
        .hasMessageContaining("--resume");
  }

  @Test
  void badArgumentsAreClearErrors(@TempDir Path tmp) {
    TrainOptions.Builder small =
        TrainOptions.builder()
            .data(data)
            .epochs(1)
            .seed(1)
            .logEvery(1)
            .evalInstances(0)
            .checkpointEvery(0)
            .maxBadSteps(3);
    assertThatThrownBy(() -> small.maxLr(0).build())
        .hasMessageContaining("--max-lr must be a positive number");
    assertThatThrownBy(() -> small.maxLr(-1e-3).build()).hasMessageContaining("--max-lr");
    small.maxLr(1e-3);
    TrainOptions unknownConfig = small.config("huge-24L").maxSteps(2).build();
    assertThatThrownBy(
            () ->
                Pretrainer.open(tmp.resolve("r1"), unknownConfig, false, ComputeDevice.Choice.CPU)
                    .run())
        .hasMessageContaining("unknown model config 'huge-24L'")
        .hasMessageContaining("deep-6L-96D");
    TrainOptions noData = small.data(tmp.resolve("empty")).config("deep-6L-96D").build();
    assertThatThrownBy(
            () -> Pretrainer.open(tmp.resolve("r2"), noData, false, ComputeDevice.Choice.CPU).run())
        .hasMessageContaining("data folder not found");
  }

  @Test
  void optionsDefaultInOnePlaceAndBuildersChangeOnlyWhatTheyName() {
    TrainOptions defaults = TrainOptions.defaults();
    assertThat(defaults.config()).isEqualTo("deep-6L-96D");
    assertThat(defaults.weightDecay()).isEqualTo(0.01);
    TrainOptions changed = defaults.toBuilder().data(data).maxLr(5e-4).build();
    com.fasterxml.jackson.databind.node.ObjectNode expected =
        org.minibert.core.io.Json.MAPPER.valueToTree(defaults);
    expected.set("data", org.minibert.core.io.Json.MAPPER.valueToTree(data));
    expected.put("max_lr", 5e-4);
    assertThat((Object) org.minibert.core.io.Json.MAPPER.valueToTree(changed)).isEqualTo(expected);
    assertThat(defaults.maxLr()).isEqualTo(1e-3);
    assertThat(defaults.data()).isNull();
    assertThat(defaults.wholeWordMasking()).isFalse();
    assertThat(defaults.keepWordEnding()).isZero();
    assertThat(defaults.objective()).isEqualTo(TrainOptions.Objective.MLM_NSP);
    assertThat(changed.toBuilder().build()).isEqualTo(changed);
  }

  private static List<Double> trainLosses(Path run) throws IOException {
    return MetricsLog.read(run.resolve(MetricsLog.JSONL)).stream()
        .filter(r -> r.split().equals(MetricsRecord.TRAIN))
        .map(MetricsRecord::loss)
        .toList();
  }
}
