package org.minibert.trainer.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for a command whose own {@code --version} names a model version: the
 * standard help options would add a {@code --version} of their own, and picocli refuses a command
 * whose options clash, {@code --help} included.
 */
public final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
