package org.minibert.core.tokenizer;

import static org.minibert.core.tokenizer.BertCharacters.isChineseChar;
import static org.minibert.core.tokenizer.BertCharacters.isControl;
import static org.minibert.core.tokenizer.BertCharacters.isPunctuation;
import static org.minibert.core.tokenizer.BertCharacters.isWhitespace;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Java mirror of the text pipeline in front of WordPiece in {@link TokenizerJson}: Hugging Face's
 * {@code BertNormalizer} (clean_text, handle_chinese_chars, no accent stripping, no lowercasing),
 * then NFD, then its {@code BertPreTokenizer}.
 *
 * <p>The vocabulary trainer counts words with it, so it must cut text exactly where the Hugging
 * Face library will at encoding time; {@code BertPreTokenizerTest} checks that against the library.
 * Step by step, as in {@code tokenizers/src/normalizers/bert.rs} and {@code
 * pre_tokenizers/bert.rs}:
 *
 * <ol>
 *   <li>clean text: drop U+0000, U+FFFD and the control, format, surrogate and private-use
 *       characters (Cc, Cf, Cs, Co) except tab, newline and carriage return; then map every white
 *       space character to a plain space;
 *   <li>put spaces around CJK ideographs, so each Hanja is a word of its own;
 *   <li>NFD: every Hangul syllable becomes its conjoining jamo, which is what lets a small
 *       vocabulary spell any Korean word; the marks of other scripts (accents, dakuten, Vietnamese
 *       tones) become combining characters and stay (BertNormalizer's strip_accents would delete
 *       them: "が" would read as "か");
 *   <li>split on white space (removed) and on punctuation (kept, one word per mark): ASCII
 *       punctuation, which includes symbols such as {@code $+<=>^`|~}, and the Unicode P*
 *       categories.
 * </ol>
 *
 * <p>Character categories come from the JDK's Unicode tables and the library's from its own, so
 * characters whose category changed between Unicode versions could still be cut differently; that
 * would only shift training counts a little, since encoding always goes through the library.
 */
public final class BertPreTokenizer {

  private BertPreTokenizer() {}

  /** The words of a text as WordPiece will see them: normalized, then split. */
  public static List<String> words(String text) {
    return split(normalize(text));
  }

  /** The normalizer alone: cleaned, CJK-padded and decomposed (NFD) text. */
  public static String normalize(String text) {
    StringBuilder cleaned = new StringBuilder(text.length() + 8);
    text.codePoints()
        .forEach(
            c -> {
              if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
              }
              if (isWhitespace(c)) {
                cleaned.append(' ');
              } else if (isChineseChar(c)) {
                cleaned.append(' ').appendCodePoint(c).append(' ');
              } else {
                cleaned.appendCodePoint(c);
              }
            });
    return Normalizer.normalize(cleaned, Normalizer.Form.NFD);
  }

  /** The BertPreTokenizer step alone: split normalized text on white space and punctuation. */
  public static List<String> split(String normalized) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < normalized.length(); ) {
      int c = normalized.codePointAt(i);
      int next = i + Character.charCount(c);
      boolean whitespace = isWhitespace(c);
      if (whitespace || isPunctuation(c)) {
        if (start >= 0) {
          words.add(normalized.substring(start, i));
          start = -1;
        }
        if (!whitespace) {
          words.add(normalized.substring(i, next));
        }
      } else if (start < 0) {
        start = i;
      }
      i = next;
    }
    if (start >= 0) {
      words.add(normalized.substring(start));
    }
    return words;
  }
}
