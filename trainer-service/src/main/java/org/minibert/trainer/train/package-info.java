/**
 * The training loop: {@link org.minibert.trainer.train.Pretrainer} runs the steps (batches from
 * {@link org.minibert.trainer.train.BatchPrefetcher}, {@link org.minibert.trainer.train.AdamW},
 * {@link org.minibert.trainer.train.OneCycleSchedule}, gradient clipping), evaluates, checkpoints
 * and logs ({@link org.minibert.trainer.train.MetricsLog}); {@link
 * org.minibert.trainer.train.Recipe} names the training recipes and {@link
 * org.minibert.trainer.train.Sweep} runs several; {@link org.minibert.trainer.train.ComputeDevice}
 * picks the GPU or the CPU.
 */
package org.minibert.trainer.train;
