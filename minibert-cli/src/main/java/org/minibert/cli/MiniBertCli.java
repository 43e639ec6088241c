package org.minibert.cli;

import java.util.ArrayList;
import java.util.List;
import org.minibert.trainer.TrainerCli;
import org.minibert.trainer.cli.CommandLines;
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
    description = "Pre-train a small BERT on Korean text, publish it and serve it.")
public final class MiniBertCli {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    List<Class<?>> commands = new ArrayList<>(TrainerCli.STAGES);
    commands.add(ServeCommand.class);
    commands.add(DemoCommand.class);
    return CommandLines.withSubcommands(new MiniBertCli(), commands);
  }
}
