package org.minibert.core.tokenizer;

import java.util.Map;

/**
 * WordPiece's own rule over one normalized word, as the Hugging Face library applies it: greedy
 * longest match first, every piece after the first with the {@code ##} prefix, and the whole word
 * {@code [UNK]} when some part matches nothing or the word has more than {@code
 * max_input_chars_per_word} characters. Shared by the Java path for common text ({@link
 * CommonTextEncoder}) and by the glued-mask rule of {@link BertTokenizer}.
 */
final class WordPieceMatcher {
  private final Map<String, Integer> ids;
  private final int maxInputCharsPerWord;

  /** The longest vocabulary piece in chars, "##" left out: no longer match is tried. */
  private final int longestPiece;

  WordPieceMatcher(String[] tokens, Map<String, Integer> ids, int maxInputCharsPerWord) {
    this.ids = ids;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    int longest = 1;
    for (String token : tokens) {
      int length =
          token.startsWith(SpecialTokens.CONTINUATION)
              ? token.length() - SpecialTokens.CONTINUATION.length()
              : token.length();
      longest = Math.max(longest, length);
    }
    this.longestPiece = longest;
  }

  /**
   * Appends the word's pieces: their ids and, for each, the chars [start, end) of {@code word} it
   * covers. Answers false and appends nothing when WordPiece makes the word {@code [UNK]}.
   *
   * @param continuing whether the word continues one before it, so that its first piece is a {@code
   *     ##} piece too (a word glued to a {@code [MASK]})
   */
  boolean match(String word, boolean continuing, IntList outIds, IntList starts, IntList ends) {
    if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
      return false;
    }
    int mark = outIds.size();
    for (int start = 0; start < word.length(); ) {
      String prefix = start == 0 && !continuing ? "" : SpecialTokens.CONTINUATION;
      int end = Math.min(word.length(), start + longestPiece);
      if (end < word.length() && Character.isLowSurrogate(word.charAt(end))) {
        end--; // never cut a character in two
      }
      Integer id = null;
      while (end > start && (id = ids.get(prefix + word.substring(start, end))) == null) {
        end = word.offsetByCodePoints(end, -1);
      }
      if (id == null) {
        outIds.truncate(mark);
        starts.truncate(mark);
        ends.truncate(mark);
        return false;
      }
      outIds.add(id);
      starts.add(start);
      ends.add(end);
      start = end;
    }
    return true;
  }
}
