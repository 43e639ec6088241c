package org.minibert.trainer.cli;

import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Option;

/**
 * {@code --threads}: one option and one default for every command that runs the model (PyTorch's
 * intra-op threads) or prepares data (its worker threads).
 */
public final class ThreadsOption {
  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Threads (PyTorch intra-op threads; prepare's workers); 0 = every core the JVM sees"
              + " (default: ${DEFAULT-VALUE}); 1 is steadier on a busy machine.")
  int threads;

  /** Sets PyTorch's thread counts; call it first, before anything touches DJL. */
  public void apply() {
    ComputeDevice.configureThreads(threads);
  }
}
