package org.minibert.trainer.data;

/**
 * Cuts a split's documents into training sequences: sentence pairs for next-sentence prediction
 * ({@link #sentencePairs}), or contiguous text for masked LM alone ({@link #contiguousText}).
 * Deterministic for a seed, so every run and every resume sees the same instances.
 */
public interface InstanceGenerator {
  /** The instances of {@code split}, drawn with {@code seed}. */
  Instances generate(TokenizedSplit split, long seed);

  /** Whether the instances are sentence pairs with a next-sentence label. */
  boolean makesPairs();

  /**
   * BERT's {@code [CLS] A [SEP] B [SEP]} pairs, made as {@code create_pretraining_data.py} makes
   * them ({@link SentencePairGenerator}).
   */
  static InstanceGenerator sentencePairs(int maxSeqLen, double shortSeqProb) {
    return new SentencePairGenerator(maxSeqLen, shortSeqProb);
  }

  /**
   * {@code [CLS] text [SEP]}: one segment of consecutive sentences filling the sequence, as
   * RoBERTa, Cramming and MosaicBERT train masked LM ({@link ContiguousTextGenerator}).
   */
  static InstanceGenerator contiguousText(int maxSeqLen) {
    return new ContiguousTextGenerator(maxSeqLen);
  }
}
