package org.minibert.inference.api;

import java.util.List;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.service.MaskedText;

/**
 * How much work one request may ask for, checked before any of it is done: each text's length and,
 * for fill-mask, the number of candidates (each of which repeats its whole text in the answer). A
 * request beyond a limit is answered 400 naming the setting that limits it.
 */
final class RequestBudget {
  private RequestBudget() {}

  /**
   * @param label how messages name the text ({@code text}, {@code inputs[2]}, {@code first})
   * @throws ApiException (400) for a text longer than {@code minibert.limits.max-text-chars}
   */
  static void checkLength(String text, String label, MiniBertConfig.Limits limits) {
    if (text.length() > limits.maxTextChars()) {
      throw new ApiException(
          400,
          label
              + " is "
              + text.length()
              + " characters long; at most "
              + limits.maxTextChars()
              + " are accepted (minibert.limits.max-text-chars)");
    }
  }

  /**
   * Checks every text's length and the candidates the request asks for: per text, its masks (at
   * most the per-text limit, which the text's own check reports) times {@code top_k} (at most the
   * number of targets when there are targets).
   *
   * @throws ApiException (400) naming {@code minibert.limits.max-candidates} when they are too many
   */
  static void checkFillMask(
      List<String> texts, int topK, List<String> targets, MiniBertConfig.Limits limits) {
    for (int i = 0; i < texts.size(); i++) {
      checkLength(texts.get(i), texts.size() == 1 ? "text" : "inputs[" + i + "]", limits);
    }
    long perMask = Math.max(0, Math.min(topK, limits.maxTopK()));
    if (targets != null) {
      perMask = Math.min(perMask, targets.size());
    }
    long masks = 0;
    for (String text : texts) {
      masks += Math.min(MaskedText.countMasks(text), limits.maxMasks());
    }
    long candidates = masks * perMask;
    if (candidates > limits.maxCandidates()) {
      throw new ApiException(
          400,
          "the request asks for "
              + candidates
              + " candidates ("
              + masks
              + " [MASK]s x top_k "
              + perMask
              + "); at most "
              + limits.maxCandidates()
              + " are answered (minibert.limits.max-candidates): send fewer texts or a smaller"
              + " top_k");
    }
  }
}
