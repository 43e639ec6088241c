package org.minibert.core.tokenizer;

/**
 * Conjoining jamo (U+1100 block, what NFD makes of Hangul) that form no syllable, shown as the
 * compatibility jamo (U+3130 block) people type and every font draws alone: a vocabulary piece
 * {@code ##ᆫ} reads as ㄴ, not as a broken glyph.
 */
final class HangulJamo {
  private static final int LEADING_FIRST = 0x1100;
  private static final int VOWEL_FIRST = 0x1161;
  private static final int TRAILING_FIRST = 0x11A8;

  /** Compatibility jamo of the 19 leading consonants ㄱ..ㅎ (U+1100..U+1112). */
  private static final String LEADING = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

  /** Compatibility jamo of the 27 trailing consonants (U+11A8..U+11C2). */
  private static final String TRAILING = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ";

  /** The 21 vowels U+1161..U+1175 map in order onto ㅏ..ㅣ (U+314F..U+3163). */
  private static final int VOWELS = 21;

  private static final int COMPATIBILITY_VOWEL_FIRST = 0x314F;

  private HangulJamo() {}

  /**
   * The text with every modern conjoining jamo replaced by its compatibility jamo; other characters
   * unchanged.
   */
  static String toCompatibility(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char mapped = compatibility(c);
      if (mapped != c && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(mapped);
      }
    }
    return out == null ? text : out.toString();
  }

  private static char compatibility(char c) {
    if (c >= LEADING_FIRST && c < LEADING_FIRST + LEADING.length()) {
      return LEADING.charAt(c - LEADING_FIRST);
    }
    if (c >= VOWEL_FIRST && c < VOWEL_FIRST + VOWELS) {
      return (char) (COMPATIBILITY_VOWEL_FIRST + (c - VOWEL_FIRST));
    }
    if (c >= TRAILING_FIRST && c < TRAILING_FIRST + TRAILING.length()) {
      return TRAILING.charAt(c - TRAILING_FIRST);
    }
    return c;
  }
}
