package org.minibert.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.train.Pretrainer;
import org.minibert.trainer.train.ResidentMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Pre-train a Mini-BERT (masked LM + next-sentence prediction) on a prepared data set.",
      "Writes RUN/config.json, RUN/metrics.jsonl and .csv, RUN/loss.png and lr.png, and checkpoints"
          + " under RUN/checkpoints."
    })
public final class TrainCommand implements Callable<Integer> {
  private static final TrainOptions DEFAULTS = TrainOptions.defaults();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Prepared data set (bin/minibert prepare).")
  Path data;

  @Option(
      names = "--config",
      paramLabel = "NAME-or-FILE",
      description =
          "Model config: deep-6L-96D, standard-2L-128D, shallow-1L-144D, or a JSON file (default:"
              + " ${DEFAULT-VALUE}).")
  String config = DEFAULTS.config();

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN",
      description = "Run folder (new, or an interrupted run with --resume).")
  Path out;

  @Option(
      names = "--epochs",
      description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  int epochs = DEFAULTS.epochs();

  @Option(
      names = "--max-steps",
      description = "Stop after this many steps; 0 = run all epochs (default: ${DEFAULT-VALUE}).")
  long maxSteps = DEFAULTS.maxSteps();

  @Option(names = "--batch-size", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batchSize = DEFAULTS.batchSize();

  @Option(
      names = "--max-lr",
      description = "Peak learning rate of the one-cycle schedule (default: ${DEFAULT-VALUE}).")
  double maxLr = DEFAULTS.maxLr();

  @Option(
      names = "--resume",
      description =
          "Continue the run in --out from its last checkpoint (starts it when it has none).")
  boolean resume;

  @Mixin SeedOption seed;

  @Option(
      names = "--eval-every",
      description =
          "Also validate every N steps; 0 = at epoch ends only (default: ${DEFAULT-VALUE}).")
  int evalEvery = DEFAULTS.evalEvery();

  @Option(
      names = "--eval-instances",
      description =
          "Validation instances per evaluation, a fixed subset; 0 = all (default:"
              + " ${DEFAULT-VALUE}).")
  int evalInstances = DEFAULTS.evalInstances();

  @Option(
      names = "--log-every",
      description = "Steps per train line in metrics.jsonl (default: ${DEFAULT-VALUE}).")
  int logEvery = DEFAULTS.logEvery();

  @Option(
      names = "--checkpoint-every",
      description =
          "Also checkpoint every N steps; 0 = at epoch ends only (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = DEFAULTS.checkpointEvery();

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  // picocli sets a negatable switch to the opposite of its default when given by its declared name
  // and back to the default by the other one: a switch that is on by default is declared by its
  // "--no-" name, so that each spelling means what it says
  @Option(
      names = "--no-whole-word-masking",
      negatable = true,
      description =
          "Mask every piece of a word together (default: ${DEFAULT-VALUE}; --no-whole-word-masking"
              + " masks single pieces).")
  boolean wholeWordMasking = DEFAULTS.wholeWordMasking();

  @Option(
      names = "--static-masking",
      description = "Use the same pairs and masks every epoch (default: new ones each epoch).")
  boolean staticMasking;

  @Option(
      names = "--keep-word-ending",
      paramLabel = "P",
      description =
          "With whole-word masking, the share of masked multi-piece words whose last piece (a"
              + " particle or ending) stays visible (default: ${DEFAULT-VALUE}).")
  double keepWordEnding = DEFAULTS.keepWordEnding();

  @Option(
      names = "--objective",
      converter = ObjectiveConverter.class,
      paramLabel = "mlm+nsp|mlm",
      description =
          "What pre-training optimises: BERT's masked LM + next-sentence prediction, or masked LM"
              + " alone (default: ${DEFAULT-VALUE}).")
  TrainOptions.Objective objective = DEFAULTS.objective();

  @Option(
      names = "--mask-rate",
      description =
          "Share of the tokens masked in training; validation always masks 0.15 (default:"
              + " ${DEFAULT-VALUE}).")
  double maskRate = DEFAULTS.maskRate();

  @Option(
      names = "--hidden-dropout",
      paramLabel = "P",
      description = "Override the config's hidden dropout (e.g. 0 for the no-dropout recipes).")
  Double hiddenDropout;

  @Option(
      names = "--attention-dropout",
      paramLabel = "P",
      description = "Override the config's attention dropout.")
  Double attentionDropout;

  /** Parses {@code mlm+nsp} and {@code mlm}. */
  static final class ObjectiveConverter
      implements picocli.CommandLine.ITypeConverter<TrainOptions.Objective> {
    @Override
    public TrainOptions.Objective convert(String value) {
      return TrainOptions.Objective.parse(value);
    }
  }

  @Option(names = "--weight-decay", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = DEFAULTS.weightDecay();

  @Option(
      names = "--clip-norm",
      description = "Clip gradients to this global norm (default: ${DEFAULT-VALUE}).")
  double clipNorm = DEFAULTS.clipNorm();

  @Option(
      names = "--max-bad-steps",
      description =
          "Stop after this many consecutive non-finite steps (default: ${DEFAULT-VALUE}).")
  int maxBadSteps = DEFAULTS.maxBadSteps();

  @Override
  public Integer call() throws Exception {
    threads.apply();
    TrainOptions options =
        TrainOptions.builder()
            .data(data)
            .config(config)
            .epochs(epochs)
            .maxSteps(maxSteps)
            .batchSize(batchSize)
            .maxLr(maxLr)
            .weightDecay(weightDecay)
            .clipNorm(clipNorm)
            .seed(seed.value())
            .logEvery(logEvery)
            .evalEvery(evalEvery)
            .evalInstances(evalInstances)
            .checkpointEvery(checkpointEvery)
            .maxBadSteps(maxBadSteps)
            .wholeWordMasking(wholeWordMasking)
            .staticMasking(staticMasking)
            .objective(objective)
            .maskRate(maskRate)
            .hiddenDropout(hiddenDropout)
            .attentionDropout(attentionDropout)
            .keepWordEnding(keepWordEnding)
            .build();
    Pretrainer.Summary s = Pretrainer.open(out, options, resume, device.choice()).run();
    var o = spec.commandLine().getOut();
    o.printf(
        "trained %s: %d steps, %,d parameters, %.1f sequences/s, peak resident memory %.0f MiB%n",
        out, s.steps(), s.numParameters(), s.seqPerS(), ResidentMemory.peakMiB());
    o.printf(
        "  last train loss %.4f%s%n",
        s.trainLoss(), s.skippedSteps() > 0 ? " (" + s.skippedSteps() + " steps skipped)" : "");
    if (s.validation() != null) {
      o.printf(
          "  validation loss %.4f (MLM %.4f, accuracy %.3f; NSP %.4f, accuracy %.3f) on %d"
              + " instances%n",
          s.validation().loss(),
          s.validation().mlmLoss(),
          s.validation().mlmAccuracy(),
          s.validation().nspLoss(),
          s.validation().nspAccuracy(),
          s.validation().instances());
    }
    return 0;
  }
}
