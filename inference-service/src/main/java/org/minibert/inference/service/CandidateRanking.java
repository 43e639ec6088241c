package org.minibert.inference.service;

import java.util.ArrayList;
import java.util.List;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * The fill-mask candidate ranking, in one place: the top-k vocabulary ids of one mask's logits with their softmax
 * probability over the whole vocabulary (as Hugging Face computes them, also when targets restrict the candidates),
 * best first; ties keep the lower id first. Without targets the special tokens are never candidates ({@code [UNK]}
 * fills no blank for a reader).
 */
public final class CandidateRanking {
  private CandidateRanking() {}

  /** One ranked id. */
  public record Ranked(int tokenId, double score) {}

  /**
   * @param targets the ids to choose from, or null for the whole vocabulary but the special tokens
   */
  public static List<Ranked> topK(float[] logits, int k, int[] targets) {
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
    List<Ranked> ranked = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int id = best[i];
      ranked.add(new Ranked(id, Math.exp(logits[id] - max) / sum));
    }
    return ranked;
  }
}
