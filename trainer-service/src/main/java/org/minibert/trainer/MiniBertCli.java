package org.minibert.trainer;

import org.minibert.trainer.cli.BenchCommand;
import org.minibert.trainer.cli.DemoCommand;
import org.minibert.trainer.cli.EvaluateCommand;
import org.minibert.trainer.cli.ExportCommand;
import org.minibert.trainer.cli.ModelsCommand;
import org.minibert.trainer.cli.PrepareCommand;
import org.minibert.trainer.cli.ServeCommand;
import org.minibert.trainer.cli.SweepCommand;
import org.minibert.trainer.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/minibert}: one subcommand per stage of the data flow. Errors reach the
 * user as one line on stderr and a non-zero exit, never as a stack trace (set {@code
 * MINIBERT_DEBUG=1} to see the trace).
 */
@Command(
    name = "minibert",
    mixinStandardHelpOptions = true,
    versionProvider = MiniBertCli.Version.class,
    description = "Pre-train a small BERT on Korean text and publish it for serving.",
    subcommands = {
      PrepareCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      SweepCommand.class,
      ExportCommand.class,
      ModelsCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MiniBertCli {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new MiniBertCli()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("minibert " + commandLine.getCommandName() + ": error: " + describe(ex));
          if (System.getenv("MINIBERT_DEBUG") != null) {
            ex.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          failed
              .getErr()
              .println(
                  "minibert "
                      + failed.getCommandName()
                      + ": error: "
                      + ex.getMessage()
                      + " (see: bin/minibert "
                      + (failed == cli ? "" : failed.getCommandName() + " ")
                      + "--help)");
          return 2;
        });
    return cli;
  }

  /**
   * The one line a user sees for a failure: the message, or the exception type when there is none.
   */
  static String describe(Throwable ex) {
    Throwable t = ex;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + t.getMessage();
    }
    if (t instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + t.getMessage();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MiniBertCli.class.getPackage().getImplementationVersion();
      return new String[] {"minibert " + (v == null ? "dev" : v)};
    }
  }
}
