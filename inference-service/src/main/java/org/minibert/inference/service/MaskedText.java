package org.minibert.inference.service;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.inference.onnx.MaskScores;

/**
 * A text with {@code [MASK]}s: counting and finding them, resolving targets, and filling a
 * candidate in.
 */
public final class MaskedText {
  private MaskedText() {}

  /** How many times {@code [MASK]} occurs in a text. */
  public static int countMasks(String text) {
    int count = 0;
    for (int at = text.indexOf(SpecialTokens.MASK);
        at >= 0;
        at = text.indexOf(SpecialTokens.MASK, at + SpecialTokens.MASK.length())) {
      count++;
    }
    return count;
  }

  /**
   * The top-k candidates of one mask, ranked by {@link CandidateRanking}, each with its token as
   * people read it and the text with the mask filled by it.
   *
   * @param targets the ids to choose from, or null for every piece that can stand in the slot
   */
  public static List<Candidate> candidates(
      MaskScores scores,
      int k,
      int[] targets,
      MaskSlot slot,
      BertTokenizer tokenizer,
      String text,
      int start,
      int end) {
    List<CandidateRanking.Ranked> ranked =
        CandidateRanking.topK(scores, k, targets, slot, tokenizer);
    List<Candidate> candidates = new ArrayList<>(ranked.size());
    for (CandidateRanking.Ranked r : ranked) {
      String raw = tokenizer.token(r.tokenId());
      candidates.add(
          new Candidate(
              r.tokenId(), BertTokenizer.display(raw), r.score(), fill(text, start, end, raw)));
    }
    return candidates;
  }

  /**
   * The text with {@code text[start, end)} replaced by the token as people read it ({@link
   * BertTokenizer#display}), every other character exactly as sent. A continuation piece ({@code
   * ##...}) joins the text before it without a space; one that starts with a character that
   * composes with the one before it (a jamo vowel or final consonant, a combining mark) is composed
   * with that character only ("나" + "##ᆫ" reads "난"), the rest of the text is never normalized.
   */
  public static String fill(String text, int start, int end, String rawToken) {
    String before = text.substring(0, start);
    String after = text.substring(end);
    if (!rawToken.startsWith(SpecialTokens.CONTINUATION)) {
      return before + BertTokenizer.display(rawToken) + after;
    }
    before = before.stripTrailing();
    String piece = BertTokenizer.pieceText(rawToken);
    if (piece.isEmpty() || !composesWithPrevious(piece.codePointAt(0))) {
      return before + BertTokenizer.display(rawToken) + after;
    }
    int from = lastStarter(before);
    return before.substring(0, from)
        + Normalizer.normalize(before.substring(from) + piece, Normalizer.Form.NFC)
        + after;
  }

  /** A conjoining jamo vowel or final consonant, or a combining mark. */
  private static boolean composesWithPrevious(int codePoint) {
    if (codePoint >= 0x1160 && codePoint <= 0x11FF) {
      return true;
    }
    int type = Character.getType(codePoint);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Where the last character that others compose with starts (0 when there is none). */
  private static int lastStarter(String text) {
    int at = text.length();
    while (at > 0) {
      int codePoint = text.codePointBefore(at);
      at -= Character.charCount(codePoint);
      if (!composesWithPrevious(codePoint)) {
        return at;
      }
    }
    return 0;
  }

  /**
   * Vocabulary ids for Hugging Face's {@code targets}: a vocabulary token as written (composed or
   * decomposed, {@code ##} for a continuation), else the first token of the word's tokenization
   * (what Hugging Face does, too).
   *
   * @throws BadInputException for an empty target or one that maps to nothing but {@code [UNK]}
   */
  public static int[] resolveTargets(List<String> targets, BertTokenizer tokenizer) {
    Set<Integer> ids = new LinkedHashSet<>();
    for (String target : targets) {
      if (target == null || target.isBlank()) {
        throw new BadInputException("parameters.targets has an empty entry");
      }
      String word = target.strip();
      int id = tokenizer.id(word);
      if (id == SpecialTokens.UNK_ID) {
        id = tokenizer.id(Normalizer.normalize(word, Normalizer.Form.NFD));
      }
      if (id == SpecialTokens.UNK_ID && !word.startsWith(SpecialTokens.CONTINUATION)) {
        int[] pieces = tokenizer.encodeWords(word);
        id = pieces.length == 0 ? SpecialTokens.UNK_ID : pieces[0];
      }
      if (id == SpecialTokens.UNK_ID && !SpecialTokens.UNK.equals(word)) {
        throw new BadInputException("target '" + target + "' is not in the model's vocabulary");
      }
      ids.add(id);
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }
}
