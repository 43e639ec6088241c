package org.minibert.bench.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minibert.bench.BenchReport;
import org.minibert.core.io.FileTrees;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.train.ComputeDevice;
import org.minibert.trainer.train.MetricsLog;
import org.minibert.trainer.train.MetricsRecord;
import org.minibert.trainer.train.Pretrainer;
import org.minibert.trainer.train.ResidentMemory;

/**
 * Training throughput of each config on a real prepared data set: the real loop (batch building,
 * forward, backward, AdamW, logging), run for a fixed number of steps; the median of the 10-step
 * windows after the first (warm-up).
 */
public final class TrainingBenchmark {
  /** One config's figures. */
  public record Row(
      String config, long parameters, double seqPerS, double tokensPerS, double peakRssMiB) {}

  private TrainingBenchmark() {}

  /** Trains each config for {@code steps} steps in a scratch folder that is removed afterwards. */
  public static List<Row> run(Path data, List<String> configs, int steps, int batchSize)
      throws Exception {
    Path scratch = Files.createTempDirectory("minibert-bench-");
    try {
      return run(data, configs, steps, batchSize, scratch);
    } finally {
      FileTrees.deleteRecursively(scratch);
    }
  }

  static List<Row> run(Path data, List<String> configs, int steps, int batchSize, Path scratch)
      throws Exception {
    double tokensPerSequence = meanTokensPerSequence(data);
    List<Row> rows = new ArrayList<>();
    for (String config : configs) {
      Path run = scratch.resolve("bench-" + config.replaceAll("[^A-Za-z0-9-]", "_"));
      FileTrees.deleteRecursively(run);
      // exactly `steps` steps (as many epochs as that takes), a train line every 10 steps, a token
      // validation, no
      // checkpoint before the end
      TrainOptions options =
          TrainOptions.builder()
              .data(data)
              .config(config)
              .epochs(1000)
              .maxSteps(steps)
              .batchSize(batchSize)
              .logEvery(10)
              .evalInstances(1)
              .checkpointEvery(0)
              .build();
      Pretrainer.Summary summary =
          Pretrainer.open(run, options, false, ComputeDevice.Choice.AUTO).run();
      List<MetricsRecord> windows =
          MetricsLog.read(run.resolve(MetricsLog.JSONL)).stream()
              .filter(r -> r.split().equals(MetricsRecord.TRAIN))
              .skip(1)
              .toList();
      double seqPerS = median(windows.stream().map(MetricsRecord::seqPerS).toList());
      rows.add(
          new Row(
              config,
              summary.numParameters(),
              seqPerS,
              seqPerS * tokensPerSequence,
              ResidentMemory.peakMiB()));
      FileTrees.deleteRecursively(run);
    }
    return rows;
  }

  /** Real (unpadded) tokens per training sequence of the data set, from its instances. */
  private static double meanTokensPerSequence(Path data) throws IOException {
    var instances =
        org.minibert.trainer.data.TrainingData.open(data, TrainOptions.defaults())
            .train()
            .instances(0);
    long sum = 0;
    for (int i = 0; i < instances.size(); i++) {
      sum += instances.sequenceLength(i);
    }
    return (double) sum / instances.size();
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  public static String table(List<Row> rows) {
    StringBuilder t =
        new StringBuilder(
            "| config | parameters | sequences/s | tokens/s | peak RSS (MiB) |\n"
                + "|---|---|---|---|---|\n");
    for (Row r : rows) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.1f | %.0f | %.0f |%n",
              r.config(),
              r.parameters(),
              r.seqPerS(),
              r.tokensPerS(),
              r.peakRssMiB()));
    }
    return t.toString();
  }

  /** The markdown report: the environment, the settings, the table. */
  public static void writeReport(Path file, Path data, int steps, int batchSize, String table)
      throws IOException {
    BenchReport.write(
        file,
        "Training throughput",
        List.of(
            "data set: " + data,
            "steps per config: " + steps + " (median of 10-step windows, the first one left out)",
            "batch size: " + batchSize),
        table);
  }
}
