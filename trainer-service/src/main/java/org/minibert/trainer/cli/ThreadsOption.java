package org.minibert.trainer.cli;

import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Option;

/**
 * {@code --threads}, PyTorch's intra-op threads: one option and one default for every command that
 * runs the model.
 */
public final class ThreadsOption {
  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "PyTorch intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}); 1 is steadier on a"
              + " busy machine.")
  int threads;

  /** Sets PyTorch's thread counts; call it first, before anything touches DJL. */
  public void apply() {
    ComputeDevice.configureThreads(threads);
  }
}
