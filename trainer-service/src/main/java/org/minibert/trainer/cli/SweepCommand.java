package org.minibert.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.train.Recipe;
import org.minibert.trainer.train.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train every config with every max learning rate on the same data and budget, then compare"
          + " them:",
      "OUT/summary.md, OUT/summary.csv and OUT/summary.png (validation loss curves). Runs already"
          + " done are kept."
    })
public final class SweepCommand implements Callable<Integer> {
  private static final TrainOptions DEFAULTS = TrainOptions.defaults();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared data set.")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Sweep folder: one run per combination and the summary.")
  Path out;

  @Option(
      names = "--configs",
      split = ",",
      paramLabel = "NAME,...",
      description =
          "Model configs to compare (default: ${DEFAULT-VALUE}); e.g."
              + " deep-6L-96D,standard-2L-128D,shallow-1L-144D.")
  List<String> configs = new ArrayList<>(List.of(DEFAULTS.config()));

  @Option(
      names = "--recipes",
      split = ",",
      paramLabel = "NAME,...",
      description =
          "Pre-training recipes to compare: bert (MLM+NSP on pairs, 15%%, dropout 0.1), mlm (MLM on"
              + " contiguous text), cramming (MLM, 25%%, no dropout, clip 0.5), mosaic (MLM, 30%%,"
              + " attention dropout 0) (default: ${DEFAULT-VALUE}).")
  List<String> recipes = new ArrayList<>(List.of(Recipe.BERT.toString()));

  @Option(
      names = "--max-lrs",
      split = ",",
      paramLabel = "LR,...",
      description =
          "Peak learning rates to compare (default: ${DEFAULT-VALUE}); e.g. 5e-4,1e-3,1.5e-3,3e-3.")
  List<Double> maxLrs = new ArrayList<>(List.of(DEFAULTS.maxLr()));

  @Option(
      names = "--epochs",
      defaultValue = "1",
      description = "Epochs per run (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--max-steps",
      description = "Step budget per run; 0 = the epochs (default: ${DEFAULT-VALUE}).")
  long maxSteps = DEFAULTS.maxSteps();

  @Option(names = "--batch-size", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batchSize = DEFAULTS.batchSize();

  @Mixin SeedOption seed;

  @Option(
      names = "--eval-instances",
      description = "Validation instances per evaluation (default: ${DEFAULT-VALUE}).")
  int evalInstances = DEFAULTS.evalInstances();

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  @Override
  public Integer call() throws Exception {
    threads.apply();
    // the first combination's options, so a bad value fails before any run starts; the sweep sets
    // config and rate per run
    TrainOptions base =
        TrainOptions.builder()
            .data(data)
            .config(configs.get(0))
            .maxLr(maxLrs.get(0))
            .epochs(epochs)
            .maxSteps(maxSteps)
            .batchSize(batchSize)
            .seed(seed.value())
            .evalInstances(evalInstances)
            .build();
    List<Recipe> recipeList = recipes.stream().map(Recipe::parse).toList();
    List<Sweep.Row> rows = Sweep.run(out, configs, maxLrs, recipeList, base, device.choice());
    spec.commandLine().getOut().print(Files.readString(out.resolve(Sweep.SUMMARY_MD)));
    spec.commandLine()
        .getOut()
        .printf(
            "%d runs; table %s, plot %s%n",
            rows.size(), out.resolve(Sweep.SUMMARY_MD), out.resolve(Sweep.SUMMARY_PNG));
    return 0;
  }
}
