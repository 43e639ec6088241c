package org.minibert.cli;

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
 * Entry point of {@code bin/minibert}, the product's command line: one subcommand per stage of the
 * data flow, from corpus to a served model. The trainer's stages are the trainer's own commands
 * (its image runs them without this module); {@code serve} and {@code demo} start the packaged
 * inference service, so they ship only where it is built beside them (the launcher).
 */
@Command(
    name = "minibert",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description = "Pre-train a small BERT on Korean text, publish it and serve it.",
    subcommands = {
      PrepareCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      SweepCommand.class,
      ExportCommand.class,
      ModelsCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MiniBertCli {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    return CommandLines.configure(new MiniBertCli());
  }
}
