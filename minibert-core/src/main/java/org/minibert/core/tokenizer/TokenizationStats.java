package org.minibert.core.tokenizer;

/**
 * How well a vocabulary covers some text: the share of {@code [UNK]} tokens and how finely words
 * are split.
 *
 * <p>Words are counted as the tokenizer's pre-tokenizer sees them (punctuation marks are words of
 * their own), so the figures compare directly across vocabularies built with the same pipeline.
 *
 * @param words words after normalization and pre-tokenization
 * @param tokens WordPiece tokens, special tokens excluded
 * @param unknownTokens tokens that came out as {@code [UNK]}
 */
public record TokenizationStats(long words, long tokens, long unknownTokens) {

  /** Share of tokens that are {@code [UNK]}, 0 when there are no tokens. */
  public double unkRate() {
    return tokens == 0 ? 0 : (double) unknownTokens / tokens;
  }

  /** Average number of tokens per word, 0 when there are no words. */
  public double tokensPerWord() {
    return words == 0 ? 0 : (double) tokens / words;
  }

  @Override
  public String toString() {
    return String.format(
        "%d words, %d tokens, %d [UNK] (%.3f%%), %.2f tokens/word",
        words, tokens, unknownTokens, 100 * unkRate(), tokensPerWord());
  }
}
