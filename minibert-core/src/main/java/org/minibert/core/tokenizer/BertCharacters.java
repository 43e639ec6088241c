package org.minibert.core.tokenizer;

/**
 * The character classes of Hugging Face's {@code BertNormalizer} and {@code BertPreTokenizer}
 * ({@code tokenizers/src/normalizers/bert.rs}, {@code pre_tokenizers/bert.rs}, {@code
 * utils/mod.rs}), in one place for the vocabulary trainer, which must cut words where the library
 * does, and for {@link BertTokenizer}, which must know where a word ends next to a {@code [MASK]}.
 */
public final class BertCharacters {

  private BertCharacters() {}

  /**
   * Rust's {@code char::is_whitespace}: the Unicode White_Space property (unlike {@link
   * Character#isWhitespace}).
   */
  public static boolean isWhitespace(int c) {
    return switch (c) {
      case 0x09,
          0x0A,
          0x0B,
          0x0C,
          0x0D,
          0x20,
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }

  /**
   * The library's {@code is_control}: an "other" character except the three that count as white
   * space. Its comment names Cn too, but the library keeps unassigned code points (checked), so
   * they stay here as well.
   */
  public static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }

  /**
   * The library's {@code is_chinese_char}: the CJK ideograph blocks, not Hangul, Hiragana or
   * Katakana.
   */
  public static boolean isChineseChar(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }

  /**
   * The library's {@code is_bert_punc}: ASCII punctuation (symbols included) or a Unicode P*
   * category.
   */
  public static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= '!' && c <= '/')
          || (c >= ':' && c <= '@')
          || (c >= '[' && c <= '`')
          || (c >= '{' && c <= '~');
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  /**
   * Whether a character is a word of its own whatever stands next to it: punctuation is split off
   * and every CJK ideograph is padded with spaces, so neither ever continues the word before it.
   */
  public static boolean standsAlone(int c) {
    return isPunctuation(c) || isChineseChar(c);
  }
}
