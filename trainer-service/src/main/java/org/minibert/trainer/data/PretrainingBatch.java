package org.minibert.trainer.data;

/**
 * One batch of pre-training inputs as flat row-major arrays, ready to become tensors.
 *
 * @param batchSize rows
 * @param seqLen columns of the token arrays (the longest sequence of the batch)
 * @param predictions columns of the masked-LM arrays
 * @param inputIds [batchSize, seqLen] token ids after masking, {@code [PAD]} after the end
 * @param tokenTypeIds [batchSize, seqLen] 0 for [CLS] A [SEP], 1 for B [SEP], 0 for padding
 * @param attentionMask [batchSize, seqLen] 1 for real tokens, 0 for padding
 * @param maskedPositions [batchSize, predictions] positions to predict (0 in unused slots)
 * @param maskedIds [batchSize, predictions] the original token ids there
 * @param maskedWeights [batchSize, predictions] 1 for a real prediction, 0 for an unused slot
 * @param nspLabels [batchSize] 0 = B follows A, 1 = B is random
 */
public record PretrainingBatch(
    int batchSize,
    int seqLen,
    int predictions,
    int[] inputIds,
    int[] tokenTypeIds,
    int[] attentionMask,
    int[] maskedPositions,
    int[] maskedIds,
    float[] maskedWeights,
    int[] nspLabels) {}
