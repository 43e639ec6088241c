/**
 * One picocli command per stage: {@link org.minibert.trainer.cli.PrepareCommand}, {@link
 * org.minibert.trainer.cli.TrainCommand}, {@link org.minibert.trainer.cli.EvaluateCommand}, {@link
 * org.minibert.trainer.cli.SweepCommand}, {@link org.minibert.trainer.cli.ExportCommand}, {@link
 * org.minibert.trainer.cli.ModelsCommand}; the options several commands share (store, seed,
 * threads, device, help) are mixins of their own, and {@link org.minibert.trainer.cli.CommandLines}
 * gives every root command line its error handling.
 */
package org.minibert.trainer.cli;
