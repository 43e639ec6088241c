package org.minibert.trainer.data;

/**
 * How masked-LM targets are chosen (BERT's defaults): 15% of the tokens, at most {@code
 * maxPredictions} per sequence; of the chosen tokens 80% become {@code [MASK]}, 10% a random token,
 * 10% stay unchanged.
 *
 * @param maskProbability share of the real (non-special) tokens to predict
 * @param maxPredictions prediction slots per sequence (BERT uses 20 for 128 tokens)
 * @param wholeWordMasking mask all pieces of a word together (a word = a piece and its "##"
 *     continuations)
 * @param dynamic draw new masks every epoch (RoBERTa-style) instead of the same masks every epoch
 * @param keepEnding with whole-word masking, the probability that a word of several pieces keeps
 *     its last piece visible: Korean glues particles and endings to the word ("서울이다" is 서울 ##이다),
 *     and a question asks for the word with its ending shown ("수도는 [MASK]이다"); masking only whole
 *     words would never show the model that
 */
public record MaskingPolicy(
    double maskProbability,
    int maxPredictions,
    boolean wholeWordMasking,
    boolean dynamic,
    double keepEnding) {
  public static final double REPLACE_WITH_MASK = 0.8;
  public static final double REPLACE_WITH_RANDOM = 0.1;

  /** The share of masked multi-piece words that keep their ending visible by default. */
  public static final double KEEP_ENDING = 0.5;

  /** Without kept endings. */
  public MaskingPolicy(
      double maskProbability, int maxPredictions, boolean wholeWordMasking, boolean dynamic) {
    this(maskProbability, maxPredictions, wholeWordMasking, dynamic, 0);
  }

  public MaskingPolicy {
    if (keepEnding < 0 || keepEnding > 1) {
      throw new IllegalArgumentException(
          "keep-ending probability must be in [0, 1], got " + keepEnding);
    }
    if (maskProbability <= 0 || maskProbability >= 1) {
      throw new IllegalArgumentException(
          "mask probability must be in (0, 1), got " + maskProbability);
    }
    if (maxPredictions < 1) {
      throw new IllegalArgumentException(
          "max predictions per sequence must be at least 1, got " + maxPredictions);
    }
  }

  /** BERT's share of masked tokens. */
  public static final double BERT_MASK_RATE = 0.15;

  /** A mask rate with prediction slots for it: ceil(rate * maxSeqLen), 20 for BERT's 15% of 128. */
  public static MaskingPolicy of(
      double maskRate, int maxSeqLen, boolean wholeWordMasking, boolean dynamic) {
    return of(maskRate, maxSeqLen, wholeWordMasking, dynamic, 0);
  }

  /** {@link #of(double, int, boolean, boolean)} with kept word endings. */
  public static MaskingPolicy of(
      double maskRate,
      int maxSeqLen,
      boolean wholeWordMasking,
      boolean dynamic,
      double keepEnding) {
    return new MaskingPolicy(
        maskRate, (int) Math.ceil(maskRate * maxSeqLen), wholeWordMasking, dynamic, keepEnding);
  }
}
