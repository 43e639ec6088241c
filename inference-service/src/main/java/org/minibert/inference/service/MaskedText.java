package org.minibert.inference.service;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;

/** The arithmetic of fill-mask: softmax, top-k, target resolution and filling the mask into the text. */
public final class MaskedText {
  private MaskedText() {}

  /** How many times {@code [MASK]} occurs in a text. */
  public static int countMasks(String text) {
    int count = 0;
    for (int at = text.indexOf(SpecialTokens.MASK); at >= 0;
        at = text.indexOf(SpecialTokens.MASK, at + SpecialTokens.MASK.length())) {
      count++;
    }
    return count;
  }

  /**
   * The top-k candidates of one mask: probabilities from a softmax over the whole vocabulary (as Hugging Face computes
   * them, also when targets restrict the candidates), best first; ties keep the lower id first.
   *
   * @param targets the ids to choose from, or null for the whole vocabulary but the special tokens ({@code [UNK]}
   *     fills no blank for a reader)
   */
  public static List<Candidate> topK(float[] logits, int k, int[] targets, BertTokenizer tokenizer, String text,
      int start, int end) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    int[] pool = targets;
    int first = pool == null ? SpecialTokens.ALL.size() : 0;
    int n = pool == null ? logits.length : pool.length;
    int size = Math.min(k, n - first);
    int[] best = new int[size];
    int filled = 0;
    for (int i = first; i < n; i++) {
      int id = pool == null ? i : pool[i];
      float v = logits[id];
      if (filled == size && v <= logits[best[size - 1]]) {
        continue;
      }
      int at = filled < size ? filled++ : size - 1;
      while (at > 0 && logits[best[at - 1]] < v) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = id;
    }
    List<Candidate> candidates = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int id = best[i];
      String raw = tokenizer.token(id);
      double score = Math.exp(logits[id] - max) / sum;
      candidates.add(new Candidate(id, BertTokenizer.display(raw), raw, score, fill(text, start, end, raw)));
    }
    return candidates;
  }

  /**
   * The text with {@code text[start, end)} replaced by the token as people read it: a continuation piece
   * ({@code ##...}) joins the text before it without a space, and the result is NFC-composed so that a jamo piece
   * merges into the syllable before it.
   */
  public static String fill(String text, int start, int end, String rawToken) {
    String before = text.substring(0, start);
    if (rawToken.startsWith(SpecialTokens.CONTINUATION)) {
      before = before.stripTrailing();
    }
    String piece = BertTokenizer.display(rawToken);
    return Normalizer.normalize(before + piece + text.substring(end), Normalizer.Form.NFC);
  }

  /**
   * Vocabulary ids for Hugging Face's {@code targets}: a vocabulary token as written (composed or decomposed,
   * {@code ##} for a continuation), else the first token of the word's tokenization (what Hugging Face does, too).
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

  /** The token indices whose id is {@code [MASK]}. */
  public static int[] maskPositions(int[] ids) {
    return IntStream.range(0, ids.length).filter(i -> ids[i] == SpecialTokens.MASK_ID).toArray();
  }
}
