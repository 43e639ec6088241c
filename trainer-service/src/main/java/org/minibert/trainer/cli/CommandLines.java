package org.minibert.trainer.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * What every root command line of the project shares: errors reach the user as one line on stderr
 * and a non-zero exit, never as a stack trace (set {@code MINIBERT_DEBUG=1} to see the trace), and
 * {@code --version} prints the build's version.
 */
public final class CommandLines {
  private CommandLines() {}

  /**
   * {@code root} with these subcommands, in this order, then {@code help}, and the project's error
   * handling.
   */
  public static CommandLine withSubcommands(Object root, List<Class<?>> subcommands) {
    CommandLine cli = new CommandLine(root);
    for (Class<?> subcommand : subcommands) {
      cli.addSubcommand(subcommand);
    }
    cli.addSubcommand(new CommandLine.HelpCommand());
    return configure(cli);
  }

  /** {@code root} with the project's error handling. */
  public static CommandLine configure(Object root) {
    return configure(new CommandLine(root));
  }

  /**
   * The project's error handling on a command line and every subcommand it has (picocli gives these
   * settings only to the subcommands present when they are set).
   */
  private static CommandLine configure(CommandLine cli) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
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
  public static String describe(Throwable ex) {
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

  /** {@code --version}: the version of the jar this runs from. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CommandLines.class.getPackage().getImplementationVersion();
      return new String[] {"minibert " + (v == null ? "dev" : v)};
    }
  }
}
