/**
 * The run folder's format, which train writes and evaluate and export read: {@link
 * org.minibert.trainer.run.RunConfig} ({@code RUN/config.json} with the {@link
 * org.minibert.trainer.run.TrainOptions}), {@link org.minibert.trainer.run.Checkpoint} (checkpoints
 * and their pointer) and {@link org.minibert.trainer.run.TrainedRun} (the newest checkpoint loaded
 * into a model).
 */
package org.minibert.trainer.run;
