package org.minibert.core.tokenizer;

import java.text.Normalizer;

/**
 * The project's {@code tokenizer.json} pipeline written out in Java for texts made only of common
 * characters, token for token as the Hugging Face library encodes them, without the library's call
 * through DJL and its token and span objects (figures: bench/out/tokenizer.md). Every other text is
 * left to the library: {@link #encode} answers null.
 *
 * <p>Common characters are those on which the pipeline's every step is plain and the JDK's Unicode
 * tables cannot disagree with the library's: ASCII (tab, newline and carriage return as white
 * space; no other control character), Hangul syllables (which NFD decomposes algorithmically into
 * two or three conjoining jamo), the CJK unified ideographs U+4E00..U+9FFF (each a word of its own,
 * unchanged by NFD) and the punctuation of the General and CJK Punctuation blocks that NFD leaves
 * alone. Over them, in the library's order: the special tokens are cut out of the raw text first
 * ({@code normalized: false}); BertNormalizer maps the three white space characters to spaces and
 * puts spaces around each ideograph; NFD; BertPreTokenizer splits on white space (dropped) and
 * punctuation (a word per mark); WordPiece cuts each word greedily into the longest vocabulary
 * pieces, the whole word {@code [UNK]} when a part matches nothing or it has over {@code
 * max_input_chars_per_word} jamo. Word ids number the words and special tokens of a text from 0;
 * offsets are the original characters a piece's jamo came from.
 *
 * <p>{@link #supports} checks that a {@code tokenizer.json} has exactly that pipeline; for any
 * other file the library encodes everything. {@code CommonTextEncoderTest} compares the two on the
 * bundled corpus and on random texts.
 */
final class CommonTextEncoder {
  private static final int HANGUL_FIRST = 0xAC00;
  private static final int HANGUL_LAST = 0xD7A3;
  private static final int JAMO_L = 0x1100;
  private static final int JAMO_V = 0x1161;
  private static final int JAMO_T = 0x11A7;
  private static final int V_COUNT = 21;
  private static final int T_COUNT = 28;

  /** What each BMP character is to the pipeline. */
  private static final byte OTHER = 0; // not common: the library encodes the text

  private static final byte SPACE = 1;
  private static final byte WORD = 2; // part of a word: ASCII letters and digits, Hangul
  private static final byte ALONE = 3; // a word by itself: punctuation, CJK ideographs

  private static final byte[] CLASSES = classes();

  private final WordPieceMatcher wordPiece;

  CommonTextEncoder(WordPieceMatcher wordPiece) {
    this.wordPiece = wordPiece;
  }

  /** One text's tokens, special tokens of the template not included. */
  record Sequence(int[] ids, int[] starts, int[] ends, int[] words) {
    int length() {
      return ids.length;
    }
  }

  /** The text's tokens as the library would cut them, or null when it is not all common. */
  Sequence encode(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (CLASSES[text.charAt(i)] == OTHER) {
        return null;
      }
    }
    IntList outIds = new IntList(text.length());
    IntList starts = new IntList(text.length());
    IntList ends = new IntList(text.length());
    IntList words = new IntList(text.length());
    int word = 0;
    int wordStart = -1;
    for (int i = 0; i < text.length(); ) {
      int special = text.charAt(i) == '[' ? specialTokenAt(text, i) : -1;
      byte kind = CLASSES[text.charAt(i)];
      if (special >= 0 || kind != WORD) {
        if (wordStart >= 0) {
          pieces(text, wordStart, i, word++, outIds, starts, ends, words);
          wordStart = -1;
        }
        if (special >= 0) {
          int end = i + SpecialTokens.ALL.get(special).length();
          add(special, i, end, word++, outIds, starts, ends, words);
          i = end;
          continue;
        }
        if (kind == ALONE) {
          pieces(text, i, i + 1, word++, outIds, starts, ends, words);
        }
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i++;
    }
    if (wordStart >= 0) {
      pieces(text, wordStart, text.length(), word, outIds, starts, ends, words);
    }
    return new Sequence(outIds.toArray(), starts.toArray(), ends.toArray(), words.toArray());
  }

  /** The special token written at {@code at}, or -1. */
  private static int specialTokenAt(String text, int at) {
    for (int id = 0; id < SpecialTokens.ALL.size(); id++) {
      if (text.startsWith(SpecialTokens.ALL.get(id), at)) {
        return id;
      }
    }
    return -1;
  }

  /** WordPiece over the word text[from, to) (common characters only), after NFD. */
  private void pieces(
      String text,
      int from,
      int to,
      int word,
      IntList outIds,
      IntList starts,
      IntList ends,
      IntList words) {
    StringBuilder nfd = new StringBuilder((to - from) * 3);
    int[] source = new int[(to - from) * 3]; // the text index each NFD char came from
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= HANGUL_FIRST && c <= HANGUL_LAST) {
        int s = c - HANGUL_FIRST;
        source[nfd.length()] = i;
        nfd.append((char) (JAMO_L + s / (V_COUNT * T_COUNT)));
        source[nfd.length()] = i;
        nfd.append((char) (JAMO_V + (s % (V_COUNT * T_COUNT)) / T_COUNT));
        if (s % T_COUNT != 0) {
          source[nfd.length()] = i;
          nfd.append((char) (JAMO_T + s % T_COUNT));
        }
      } else {
        source[nfd.length()] = i;
        nfd.append(c);
      }
    }
    int mark = outIds.size();
    if (!wordPiece.match(nfd.toString(), false, outIds, starts, ends)) {
      add(SpecialTokens.UNK_ID, from, to, word, outIds, starts, ends, words);
      return;
    }
    for (int k = mark; k < outIds.size(); k++) {
      // from chars of the word's NFD to chars of the text
      starts.set(k, source[starts.get(k)]);
      ends.set(k, source[ends.get(k) - 1] + 1);
      words.add(word);
    }
  }

  private static void add(
      int id,
      int start,
      int end,
      int word,
      IntList outIds,
      IntList starts,
      IntList ends,
      IntList words) {
    outIds.add(id);
    starts.add(start);
    ends.add(end);
    words.add(word);
  }

  private static byte[] classes() {
    byte[] classes = new byte[Character.MAX_VALUE + 1];
    classes['\t'] = SPACE;
    classes['\n'] = SPACE;
    classes['\r'] = SPACE;
    for (int c = 0x20; c < 0x7F; c++) {
      classes[c] =
          c == ' '
              ? SPACE
              : BertCharacters.isPunctuation(c) ? ALONE : WORD; // ASCII punctuation has symbols too
    }
    for (int c = HANGUL_FIRST; c <= HANGUL_LAST; c++) {
      classes[c] = WORD;
    }
    for (int c = 0x4E00; c <= 0x9FFF; c++) {
      classes[c] = ALONE;
    }
    int[][] punctuationBlocks = {
      {0x00B7, 0x00B7}, {0x2010, 0x2027}, {0x2030, 0x205E}, {0x3001, 0x303F}
    };
    for (int[] block : punctuationBlocks) {
      for (int c = block[0]; c <= block[1]; c++) {
        String one = String.valueOf((char) c);
        if (BertCharacters.isPunctuation(c)
            && !BertCharacters.isWhitespace(c)
            && Normalizer.isNormalized(one, Normalizer.Form.NFD)) {
          classes[c] = ALONE;
        }
      }
    }
    return classes;
  }
}
