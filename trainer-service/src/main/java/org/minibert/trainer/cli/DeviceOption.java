package org.minibert.trainer.cli;

import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Option;

/** {@code --device}, where PyTorch trains: one option for every command that trains. */
final class DeviceOption {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto (GPU when PyTorch sees one), cpu or gpu (default: ${DEFAULT-VALUE}).")
  ComputeDevice.Choice device;

  ComputeDevice.Choice choice() {
    return device;
  }
}
