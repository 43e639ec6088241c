package org.minibert.inference.service;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.fillmask.TopK;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.inference.onnx.MaskScores;

/**
 * The fill-mask candidate ranking, in one place: the top-k vocabulary ids of one mask's scores with
 * their softmax probability over the whole vocabulary (as Hugging Face computes them, also when
 * candidates are restricted), best first; ties keep the lower id first. Without targets the
 * candidates are the pieces that can stand in the mask ({@link MaskSlot#accepts}: a word start
 * after a space, a {@code ##} piece glued to a word; never a special token).
 */
public final class CandidateRanking {
  private CandidateRanking() {}

  /** One ranked id. */
  public record Ranked(int tokenId, double score) {}

  /**
   * @param targets the ids to choose from, or null for every piece the slot accepts
   */
  public static List<Ranked> topK(
      MaskScores scores, int k, int[] targets, MaskSlot slot, BertTokenizer tokenizer) {
    IntPredicate allowed;
    if (targets == null) {
      allowed = id -> slot.accepts(id, tokenizer);
    } else {
      BitSet chosen = new BitSet(scores.values().length);
      for (int id : targets) {
        chosen.set(id);
      }
      allowed = chosen::get;
    }
    return topK(scores, k, allowed);
  }

  /** The k best ids {@code allowed} accepts, with their probability over the whole vocabulary. */
  static List<Ranked> topK(MaskScores scores, int k, IntPredicate allowed) {
    float[] values = scores.values();
    double normaliser = scores.logNormaliser();
    int[] best = TopK.indices(values, k, allowed);
    List<Ranked> ranked = new ArrayList<>(best.length);
    for (int id : best) {
      ranked.add(new Ranked(id, Math.exp(values[id] - normaliser)));
    }
    return ranked;
  }
}
