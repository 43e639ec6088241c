package org.minibert.trainer.cli;

import org.minibert.trainer.run.TrainOptions;
import picocli.CommandLine.Option;

/**
 * {@code --seed} of a training run, defaulting to {@link TrainOptions#defaults()}'s. (prepare's
 * {@code --seed} is another one: it seeds the data set's train/validation split.)
 */
final class SeedOption {
  @Option(
      names = "--seed",
      description =
          "Seed of pairs, masks, data order, initialisation and dropout (default:"
              + " ${DEFAULT-VALUE}).")
  long seed = TrainOptions.defaults().seed();

  long value() {
    return seed;
  }
}
