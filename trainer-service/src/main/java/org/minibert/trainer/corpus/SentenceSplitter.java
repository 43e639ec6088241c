package org.minibert.trainer.corpus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a paragraph of Korean (or mixed Korean and English) prose into sentences, the unit of
 * BERT's next-sentence prediction. A sentence ends at {@code . ? ! 。 …} (and their full-width
 * forms), plus any closing quotes or brackets, when whitespace or the end of the paragraph follows.
 * Hence no split in {@code 3.14}, nor after {@code "그렇다."라고}, where a Korean particle right after
 * the closing quote shows that the quotation is part of a longer sentence.
 *
 * <p>Exceptions: a period does not end a sentence after a known abbreviation ({@code Dr.}, {@code
 * etc.}), an initialism ({@code U.S.}, {@code e.g.}) or a single capital initial ({@code J. R. R.
 * Tolkien}); no terminator ends one before a lowercase Latin word or a dash ({@code #NAME? error},
 * {@code Options... - Security}); nothing splits inside balanced parentheses or brackets. Fragments
 * without any letter (a stray {@code "1."}) are dropped.
 */
public final class SentenceSplitter {
  private static final String TERMINATORS = ".?!。…？！";
  private static final String CLOSERS = "\"'”’」』》〉)]}";
  private static final String CONTINUATIONS = "-–—,;:";
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "no", "nos", "vol",
          "fig", "pp", "cf", "al", "ca", "approx", "inc", "ltd", "co", "corp", "dept", "univ",
          "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

  /** Sentences of one paragraph, trimmed, in order; none blank. */
  public List<String> split(String paragraph) {
    int[] closingBracket = matchBrackets(paragraph);
    List<String> sentences = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < paragraph.length()) {
      char c = paragraph.charAt(i);
      if (closingBracket[i] > i) {
        i = closingBracket[i] + 1;
      } else if (TERMINATORS.indexOf(c) >= 0) {
        int end = skipAll(paragraph, skipAll(paragraph, i, TERMINATORS), CLOSERS);
        if (endsSentence(paragraph, i, end)) {
          add(sentences, paragraph.substring(start, end));
          start = end;
        }
        i = end;
      } else {
        i++;
      }
    }
    add(sentences, paragraph.substring(start));
    return sentences;
  }

  /** Sentences of a text whose paragraphs are separated by line breaks. */
  public List<String> splitParagraphs(String text) {
    List<String> sentences = new ArrayList<>();
    for (String paragraph : text.split("\n")) {
      sentences.addAll(split(paragraph));
    }
    return sentences;
  }

  /**
   * Whether the terminator at {@code at}, with the terminators and closers up to {@code end}, ends
   * a sentence.
   */
  private static boolean endsSentence(String text, int at, int end) {
    boolean followedBySpace = end == text.length() || Whitespace.isSpace(text.charAt(end));
    if (!followedBySpace || continuesSentence(text, end)) {
      return false;
    }
    boolean singlePeriod =
        text.charAt(at) == '.' && (at + 1 == end || CLOSERS.indexOf(text.charAt(at + 1)) >= 0);
    return !(singlePeriod && isAbbreviation(wordBefore(text, at)));
  }

  private static boolean isAbbreviation(String word) {
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true;
    }
    return isInitialism(word) || ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
  }

  /** {@code U.S}, {@code e.g}, {@code i.e}: single letters separated by periods. */
  private static boolean isInitialism(String word) {
    if (word.length() < 3) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      boolean letterPlace = i % 2 == 0;
      char c = word.charAt(i);
      if (letterPlace ? !isLatinLetter(c) : c != '.') {
        return false;
      }
    }
    return word.length() % 2 == 1;
  }

  /** The run of non-space characters before {@code at}, without an opening bracket or quote. */
  private static String wordBefore(String text, int at) {
    int start = at;
    while (start > 0
        && !Whitespace.isSpace(text.charAt(start - 1))
        && "([\"'“‘".indexOf(text.charAt(start - 1)) < 0) {
      start--;
    }
    return text.substring(start, at);
  }

  /**
   * Whether what follows the whitespace after a terminator continues the same sentence: a lowercase
   * Latin letter (an English sentence does not start with one: {@code #NAME? error}) or a dash,
   * comma, colon or semicolon (a menu path such as {@code Tools - Options... - Security}).
   */
  private static boolean continuesSentence(String text, int from) {
    int i = from;
    while (i < text.length() && Whitespace.isSpace(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return false;
    }
    char next = text.charAt(i);
    return (isLatinLetter(next) && Character.isLowerCase(next)) || CONTINUATIONS.indexOf(next) >= 0;
  }

  /**
   * For each opening parenthesis or bracket, the index of the one that closes it; every other entry
   * is -1. Unbalanced ones are left unmatched, so that a stray {@code (} cannot swallow a
   * paragraph.
   */
  private static int[] matchBrackets(String text) {
    int[] closing = new int[text.length()];
    Arrays.fill(closing, -1);
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[') {
        open.push(i);
      } else if ((c == ')' || c == ']') && !open.isEmpty()) {
        int opener = open.peek();
        if ((text.charAt(opener) == '(') == (c == ')')) {
          closing[open.pop()] = i;
        } else {
          open.clear();
        }
      }
    }
    return closing;
  }

  private static int skipAll(String text, int from, String chars) {
    int i = from;
    while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  private static void add(List<String> sentences, String candidate) {
    String sentence = candidate.strip();
    if (sentence.codePoints().anyMatch(Character::isLetter)) {
      sentences.add(sentence);
    }
  }

  private static boolean isLatinLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
