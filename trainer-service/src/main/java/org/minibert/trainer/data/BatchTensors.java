package org.minibert.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link PretrainingBatch} as tensors on the training device, created in (and freed with) a
 * per-step manager.
 *
 * @param inputIds [B, T]
 * @param tokenTypeIds [B, T]
 * @param attentionMask [B, T]
 * @param maskedPositions [B, P]
 * @param labels {@code [masked_ids [B, P], masked_weights [B, P], next_sentence_labels [B]]}, as
 *     the loss wants them
 */
public record BatchTensors(
    NDArray inputIds,
    NDArray tokenTypeIds,
    NDArray attentionMask,
    NDArray maskedPositions,
    NDList labels) {

  public static BatchTensors of(NDManager manager, PretrainingBatch batch) {
    Shape tokens = new Shape(batch.batchSize(), batch.seqLen());
    Shape slots = new Shape(batch.batchSize(), batch.predictions());
    return new BatchTensors(
        manager.create(batch.inputIds(), tokens),
        manager.create(batch.tokenTypeIds(), tokens),
        manager.create(batch.attentionMask(), tokens),
        manager.create(batch.maskedPositions(), slots),
        new NDList(
            manager.create(batch.maskedIds(), slots),
            manager.create(batch.maskedWeights(), slots),
            manager.create(batch.nspLabels(), new Shape(batch.batchSize()))));
  }
}
