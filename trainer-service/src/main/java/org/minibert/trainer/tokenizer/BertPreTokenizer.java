package org.minibert.trainer.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Java mirror of the text pipeline in front of WordPiece in our {@code tokenizer.json}: Hugging Face's
 * {@code BertNormalizer} (clean_text, handle_chinese_chars, strip_accents, no lowercasing) followed by its
 * {@code BertPreTokenizer}.
 *
 * <p>The vocabulary trainer counts words with it, so it must cut text exactly where the Hugging Face library will
 * at encoding time; {@code BertPreTokenizerTest} checks that against the library. Step by step, as in
 * {@code tokenizers/src/normalizers/bert.rs} and {@code pre_tokenizers/bert.rs}:
 *
 * <ol>
 *   <li>clean text: drop U+0000, U+FFFD and the control, format, surrogate and private-use characters (Cc, Cf,
 *       Cs, Co) except tab, newline and carriage return; then map every white space character to a plain space;
 *   <li>put spaces around CJK ideographs, so each Hanja is a word of its own;
 *   <li>NFD, then drop non-spacing marks (Mn): Latin accents go, and every Hangul syllable becomes its conjoining
 *       jamo (category Lo, so they stay). This is what lets a small vocabulary spell any Korean word;
 *   <li>split on white space (removed) and on punctuation (kept, one word per mark): ASCII punctuation, which
 *       includes symbols such as {@code $+<=>^`|~}, and the Unicode P* categories.
 * </ol>
 *
 * <p>Character categories come from the JDK's Unicode tables and the library's from its own, so characters whose
 * category changed between Unicode versions could still be cut differently; that would only shift training counts a
 * little, since encoding always goes through the library.
 */
public final class BertPreTokenizer {

  private BertPreTokenizer() {}

  /** The words of a text as WordPiece will see them: normalized, then split. */
  public static List<String> words(String text) {
    return split(normalize(text));
  }

  /** The BertNormalizer step alone: cleaned, CJK-padded, decomposed and accent-stripped text. */
  public static String normalize(String text) {
    StringBuilder cleaned = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> {
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
    String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
    StringBuilder stripped = new StringBuilder(decomposed.length());
    decomposed.codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(stripped::appendCodePoint);
    return stripped.toString();
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

  /** Rust's {@code char::is_whitespace}: the Unicode White_Space property (unlike {@link Character#isWhitespace}). */
  static boolean isWhitespace(int c) {
    return switch (c) {
      case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }

  /**
   * The library's {@code is_control}: an "other" character except the three that count as white space. Its
   * comment names Cn too, but the library keeps unassigned code points (checked), so they stay here as well.
   */
  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }

  /** The library's {@code is_chinese_char}: the CJK ideograph blocks, not Hangul, Hiragana or Katakana. */
  private static boolean isChineseChar(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }

  /** The library's {@code is_bert_punc}: ASCII punctuation (symbols included) or a Unicode P* category. */
  private static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }
}
