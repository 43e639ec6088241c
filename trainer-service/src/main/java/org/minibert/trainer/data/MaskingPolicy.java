package org.minibert.trainer.data;

/**
 * How masked-LM targets are chosen (BERT's defaults): 15% of the tokens, at most {@code maxPredictions}
 * per sequence; of the chosen tokens 80% become {@code [MASK]}, 10% a random token, 10% stay unchanged.
 *
 * @param maskProbability share of the real (non-special) tokens to predict
 * @param maxPredictions prediction slots per sequence (BERT uses 20 for 128 tokens)
 * @param wholeWordMasking mask all pieces of a word together (a word = a piece and its "##" continuations)
 * @param dynamic draw new masks every epoch (RoBERTa-style) instead of the same masks every epoch
 */
public record MaskingPolicy(double maskProbability, int maxPredictions, boolean wholeWordMasking, boolean dynamic) {
  public static final double REPLACE_WITH_MASK = 0.8;
  public static final double REPLACE_WITH_RANDOM = 0.1;

  public MaskingPolicy {
    if (maskProbability <= 0 || maskProbability >= 1) {
      throw new IllegalArgumentException("mask probability must be in (0, 1), got " + maskProbability);
    }
    if (maxPredictions < 1) {
      throw new IllegalArgumentException("max predictions per sequence must be at least 1, got " + maxPredictions);
    }
  }

  /** BERT's share of masked tokens. */
  public static final double BERT_MASK_RATE = 0.15;

  /** A mask rate with prediction slots for it: ceil(rate * maxSeqLen), 20 for BERT's 15% of 128. */
  public static MaskingPolicy of(double maskRate, int maxSeqLen, boolean wholeWordMasking, boolean dynamic) {
    return new MaskingPolicy(maskRate, (int) Math.ceil(maskRate * maxSeqLen), wholeWordMasking, dynamic);
  }
}
