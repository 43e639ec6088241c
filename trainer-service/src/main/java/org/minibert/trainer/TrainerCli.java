package org.minibert.trainer;

import java.util.List;
import org.minibert.trainer.cli.CommandLines;
import org.minibert.trainer.cli.EvaluateCommand;
import org.minibert.trainer.cli.ExportCommand;
import org.minibert.trainer.cli.ModelsCommand;
import org.minibert.trainer.cli.PrepareCommand;
import org.minibert.trainer.cli.SweepCommand;
import org.minibert.trainer.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the trainer's jar and image: the stages from corpus to published model. The
 * product's command line ({@code bin/minibert}, module {@code minibert-cli}) has these commands and
 * {@code serve} and {@code demo} beside them.
 */
@Command(
    name = "minibert",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description = "Pre-train a small BERT on Korean text and publish it for serving.")
public final class TrainerCli {
  /** The stages from corpus to published model, in the order of the data flow. */
  public static final List<Class<?>> STAGES =
      List.of(
          PrepareCommand.class,
          TrainCommand.class,
          EvaluateCommand.class,
          SweepCommand.class,
          ExportCommand.class,
          ModelsCommand.class);

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    return CommandLines.withSubcommands(new TrainerCli(), STAGES);
  }
}
