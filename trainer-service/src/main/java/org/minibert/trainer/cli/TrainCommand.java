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
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN",
      description = "Run folder (new, or an interrupted run with --resume).")
  Path out;

  @Option(
      names = "--resume",
      description =
          "Continue the run in --out from its last checkpoint (starts it when it has none).")
  boolean resume;

  /** Every training option, declared once with its default in {@link TrainOptions}. */
  @Mixin TrainOptions options;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  @Override
  public Integer call() throws Exception {
    threads.apply();
    Pretrainer.Summary s =
        Pretrainer.open(out, options.toBuilder().build(), resume, device.choice()).run();
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
