package org.minibert.core.tokenizer;

/**
 * One model input as the tokenizer produced it, special tokens included: {@code [CLS] A [SEP]} or
 * {@code [CLS] A [SEP] B [SEP]}.
 *
 * <p>The arrays are parallel, one entry per token. Offsets are UTF-16 indices into the text the
 * token came from (the first or the second text of a pair), end exclusive, so a caller can
 * highlight the original characters even though the tokens themselves are decomposed jamo; special
 * tokens have no source text and carry {@code -1}. Arrays are exposed as they are (no defensive
 * copies): treat them as read-only.
 *
 * @param ids vocabulary ids
 * @param typeIds 0 for {@code [CLS]}, the first text and its {@code [SEP]}; 1 for the second text
 *     and its {@code [SEP]}
 * @param attentionMask 1 for every token (no padding is added here)
 * @param starts start offset of each token in its source text, or -1
 * @param ends end offset (exclusive) of each token in its source text, or -1
 */
public record Encoded(int[] ids, int[] typeIds, int[] attentionMask, int[] starts, int[] ends) {

  /** Number of tokens, special tokens included. */
  public int length() {
    return ids.length;
  }
}
