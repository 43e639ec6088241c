package org.minibert.inference.model;

import java.util.List;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.inference.service.Candidate;
import org.minibert.inference.service.MaskedText;

/**
 * The two calls {@code src/test-model}'s {@code ServingBenchmark} makes under their old name; the code lives in
 * {@link MaskedText}. Delete this class once the benchmark calls {@link MaskedText} itself.
 */
public final class FillMask {
  private FillMask() {}

  /** See {@link MaskedText#maskPositions}. */
  public static int[] maskPositions(int[] ids) {
    return MaskedText.maskPositions(ids);
  }

  /** See {@link MaskedText#candidates}. */
  public static List<Candidate> topK(float[] logits, int k, int[] targets, BertTokenizer tokenizer, String text,
      int start, int end) {
    return MaskedText.candidates(logits, k, targets, tokenizer, text, start, end);
  }
}
