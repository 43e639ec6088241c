package org.minibert.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.minibert.core.io.AtomicFiles;
import org.minibert.trainer.evaluate.Evaluator;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several runs on the same data and budget (every config x every max learning rate x every {@link
 * Recipe}), then one table and one plot comparing them: the reference report's learning-rate sweep
 * and depth-vs-width comparison, and the recipes side by side, reproducible by one command. Each
 * run lives in {@code SWEEP/<config>-lr<max-lr>/} (with {@code -<recipe>} for any recipe but
 * BERT's) and is resumed, not redone, when the sweep is started again. Runs are compared by
 * validation masked-LM loss, the part of the loss every recipe trains.
 */
public final class Sweep {
  private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);
  public static final String SUMMARY_MD = "summary.md";
  public static final String SUMMARY_CSV = "summary.csv";
  public static final String SUMMARY_PNG = "summary.png";

  /**
   * One row of the summary.
   *
   * @param diverged the run stopped on non-finite losses (its figures are those before it stopped)
   */
  public record Row(
      String run,
      String config,
      double maxLr,
      Recipe recipe,
      long numParameters,
      long steps,
      double trainLoss,
      double valLoss,
      double valMlmLoss,
      double valMlmAccuracy,
      double valNspAccuracy,
      double seqPerS,
      boolean diverged,
      String error) {}

  private Sweep() {}

  /**
   * Trains every config with every max learning rate and every recipe; the other options are {@code
   * base}'s.
   */
  public static List<Row> run(
      Path sweepDir,
      List<String> configs,
      List<Double> maxLrs,
      List<Recipe> recipes,
      TrainOptions base,
      ComputeDevice.Choice device)
      throws IOException, InterruptedException {
    Files.createDirectories(sweepDir);
    List<Row> rows = new ArrayList<>();
    int total = configs.size() * maxLrs.size() * recipes.size();
    for (String config : configs) {
      for (double lr : maxLrs) {
        for (Recipe recipe : recipes) {
          String name = runName(config, lr) + (recipe == Recipe.BERT ? "" : "-" + recipe);
          Path runDir = sweepDir.resolve(name);
          TrainOptions options = recipe.applyTo(base.toBuilder().config(config).maxLr(lr).build());
          LOG.info("sweep: run {} ({} of {})", name, rows.size() + 1, total);
          rows.add(runOne(name, runDir, options, recipe, device));
          write(sweepDir, rows);
        }
      }
    }
    return rows;
  }

  private static Row runOne(
      String name, Path runDir, TrainOptions options, Recipe recipe, ComputeDevice.Choice device)
      throws IOException, InterruptedException {
    try {
      Pretrainer.Summary s = Pretrainer.open(runDir, options, true, device).run();
      Evaluator.Result v = s.validation();
      return new Row(
          name,
          options.config(),
          options.maxLr(),
          recipe,
          s.numParameters(),
          s.steps(),
          s.trainLoss(),
          v == null ? Double.NaN : v.loss(),
          v == null ? Double.NaN : v.mlmLoss(),
          v == null ? Double.NaN : v.mlmAccuracy(),
          v == null ? Double.NaN : v.nspAccuracy(),
          s.seqPerS(),
          false,
          "");
    } catch (IllegalStateException e) {
      // divergence (repeated non-finite steps) is a result of a sweep, not a failure of it
      LOG.warn("sweep: run {} diverged: {}", name, e.getMessage());
      List<MetricsRecord> records = MetricsLog.read(runDir.resolve(MetricsLog.JSONL));
      MetricsRecord lastTrain =
          records.stream()
              .filter(r -> r.split().equals(MetricsRecord.TRAIN))
              .reduce((a, b) -> b)
              .orElse(null);
      long params = RunConfig.read(runDir).numParameters();
      return new Row(
          name,
          options.config(),
          options.maxLr(),
          recipe,
          params,
          lastTrain == null ? 0 : lastTrain.step(),
          lastTrain == null ? Double.NaN : lastTrain.loss(),
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          true,
          e.getMessage());
    }
  }

  static String runName(String config, double lr) {
    String base = Path.of(config).getFileName().toString().replaceFirst("\\.json$", "");
    // 1.5e-3 -> "1.5e-03", 1e-3 -> "1e-03": every distinct rate gets its own folder
    String rate =
        String.format(Locale.ROOT, "%.3e", lr).replaceFirst("\\.?0*e", "e").replace("+", "");
    return base + "-lr" + rate;
  }

  private static void write(Path sweepDir, List<Row> rows) throws IOException {
    StringBuilder md =
        new StringBuilder(
                "| run | config | max lr | recipe | parameters | steps | train loss | val MLM loss"
                    + " | val MLM acc | val NSP acc | seq/s |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    StringBuilder csv =
        new StringBuilder(
            "run,config,max_lr,recipe,num_parameters,steps,train_loss,val_loss,val_mlm_loss,"
                + "val_mlm_accuracy,val_nsp_accuracy,seq_per_s,diverged\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1e | %s | %,d | %d | %s | %s | %s | %s | %.1f |%n",
              r.run(),
              r.config(),
              r.maxLr(),
              r.recipe(),
              r.numParameters(),
              r.steps(),
              num(r.trainLoss()),
              r.diverged() ? "diverged" : num(r.valMlmLoss()),
              num(r.valMlmAccuracy()),
              num(r.valNspAccuracy()),
              r.seqPerS()));
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s%n",
              r.run(),
              r.config(),
              r.maxLr(),
              r.recipe(),
              r.numParameters(),
              r.steps(),
              r.trainLoss(),
              r.valLoss(),
              r.valMlmLoss(),
              r.valMlmAccuracy(),
              r.valNspAccuracy(),
              r.seqPerS(),
              r.diverged()));
    }
    AtomicFiles.writeString(sweepDir.resolve(SUMMARY_MD), md.toString());
    AtomicFiles.writeString(sweepDir.resolve(SUMMARY_CSV), csv.toString());
    plot(sweepDir, rows);
  }

  /**
   * Validation masked-LM loss curves of every run on one chart: the loss every recipe trains (an
   * MLM-only run has no NSP term to add).
   */
  private static void plot(Path sweepDir, List<Row> rows) throws IOException {
    XYChart chart = TrainingPlots.chart("sweep: validation MLM loss", "val MLM loss");
    for (Row r : rows) {
      List<MetricsRecord> val =
          MetricsLog.read(sweepDir.resolve(r.run()).resolve(MetricsLog.JSONL)).stream()
              .filter(m -> m.split().equals(MetricsRecord.VAL) && Double.isFinite(m.mlmLoss()))
              .toList();
      if (!val.isEmpty()) {
        chart
            .addSeries(
                r.run(),
                val.stream().mapToDouble(MetricsRecord::step).toArray(),
                val.stream().mapToDouble(MetricsRecord::mlmLoss).toArray())
            .setMarker(SeriesMarkers.CIRCLE);
      }
    }
    if (!chart.getSeriesMap().isEmpty()) {
      TrainingPlots.save(chart, sweepDir.resolve(SUMMARY_PNG));
    }
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }
}
