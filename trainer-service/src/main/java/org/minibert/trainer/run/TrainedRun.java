package org.minibert.trainer.run;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * A finished (or interrupted) run's newest checkpoint, loaded for evaluation or export.
 *
 * @param step the training step of the loaded checkpoint
 */
public record TrainedRun(Path runDir, RunConfig config, BertForPreTraining model, long step) {

  /**
   * Loads the newest checkpoint of {@code runDir} into a model whose parameters live in {@code
   * manager}.
   */
  public static TrainedRun load(Path runDir, NDManager manager) throws IOException {
    RunConfig config = RunConfig.read(runDir);
    Path checkpoint =
        Checkpoint.latest(runDir)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "run " + runDir + " has no checkpoint yet: train it first"));
    BertForPreTraining model = new BertForPreTraining(config.model());
    model.initialize(manager);
    Checkpoint.loadModel(checkpoint, model, manager);
    return new TrainedRun(runDir, config, model, Checkpoint.readState(checkpoint).step());
  }
}
