package org.minibert.inference.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.onnx.MaskScores;
import org.minibert.inference.version.ServedVersion;

/**
 * One text of a fill-mask request: validated and tokenized at once, answered with the candidates of
 * each mask.
 */
final class FillMaskJob extends Job<FillMaskResult> {
  private final String text;
  private final int topK;
  private final int[] targets;
  private final List<MaskSlot> slots;

  /**
   * @param label how messages name the text ({@code text}, {@code inputs[2]})
   * @throws BadInputException for an empty text, no or too many masks, or a text longer than the
   *     model reads
   */
  FillMaskJob(
      ServedVersion version,
      Executor completion,
      String text,
      String label,
      int topK,
      int[] targets,
      int maxMasks) {
    super(version, completion, label);
    if (text == null || text.isBlank()) {
      throw new BadInputException(label + " is missing or empty");
    }
    int masks = MaskedText.countMasks(text);
    if (masks == 0) {
      throw new BadInputException(
          label + " has no [MASK]: write [MASK] where a word is to be predicted");
    }
    if (masks > maxMasks) {
      throw new BadInputException(
          label + " has " + masks + " [MASK]s; at most " + maxMasks + " are allowed");
    }
    this.text = text;
    this.topK = topK;
    this.targets = targets;
    this.input = version.tokenizer().encode(text);
    if (input.length() > version.maxPositions()) {
      throw new BadInputException(
          label
              + " is "
              + input.length()
              + " tokens long ([CLS] and [SEP] included);"
              + " the model reads at most "
              + version.maxPositions());
    }
    this.slots = MaskSlot.find(input, version.tokenizer());
    if (slots.isEmpty()) {
      throw new BadInputException(label + " has no [MASK] the tokenizer recognises");
    }
  }

  @Override
  boolean needsLogits() {
    return true;
  }

  /** Copies the masks' rows of scores here; softmax and top-k run on the completion executor. */
  @Override
  void complete(BatchOutput output, int row) {
    MaskScores[] rows = new MaskScores[slots.size()];
    for (int m = 0; m < slots.size(); m++) {
      rows[m] = output.scores(row, slots.get(m).position());
    }
    completion.execute(
        () -> {
          try {
            List<MaskPrediction> masks = new ArrayList<>(slots.size());
            for (int m = 0; m < slots.size(); m++) {
              MaskSlot slot = slots.get(m);
              int start = input.starts()[slot.position()];
              int end = input.ends()[slot.position()];
              List<Candidate> candidates =
                  MaskedText.candidates(
                      rows[m], topK, targets, slot, version.tokenizer(), text, start, end);
              masks.add(new MaskPrediction(slot.position(), start, end, candidates));
            }
            result.complete(new FillMaskResult(version.version(), text, masks));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
  }
}
