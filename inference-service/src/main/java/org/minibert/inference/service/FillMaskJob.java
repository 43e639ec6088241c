package org.minibert.inference.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.ServedVersion;

/** One text of a fill-mask request: validated and tokenized at once, answered with the candidates of each mask. */
final class FillMaskJob extends Job<FillMaskResult> {
  private final String text;
  private final int topK;
  private final int[] targets;
  private final int[] positions;

  /**
   * @param label how messages name the text ({@code text}, {@code inputs[2]})
   * @throws BadInputException for an empty text, no or too many masks, or a text longer than the model reads
   */
  FillMaskJob(ServedVersion version, Executor completion, String text, String label, int topK, int[] targets,
      int maxMasks) {
    super(version, completion);
    if (text == null || text.isBlank()) {
      throw new BadInputException(label + " is missing or empty");
    }
    int masks = MaskedText.countMasks(text);
    if (masks == 0) {
      throw new BadInputException(label + " has no [MASK]: write [MASK] where a word is to be predicted");
    }
    if (masks > maxMasks) {
      throw new BadInputException(label + " has " + masks + " [MASK]s; at most " + maxMasks + " are allowed");
    }
    this.text = text;
    this.topK = topK;
    this.targets = targets;
    this.input = version.tokenizer().encode(text);
    if (input.length() > version.maxPositions()) {
      throw new BadInputException(label + " is " + input.length() + " tokens long ([CLS] and [SEP] included);"
          + " the model reads at most " + version.maxPositions());
    }
    this.positions = MaskedText.maskPositions(input.ids());
    if (positions.length == 0) {
      throw new BadInputException(label + " has no [MASK] the tokenizer recognises");
    }
  }

  @Override
  boolean needsLogits() {
    return true;
  }

  /** Copies the masks' rows of logits here; softmax and top-k run on the completion executor. */
  @Override
  void complete(BatchOutput output, int row) {
    float[][] rows = new float[positions.length][];
    for (int m = 0; m < positions.length; m++) {
      rows[m] = output.logits(row, positions[m]);
    }
    completion.execute(() -> {
      try {
        List<MaskPrediction> masks = new ArrayList<>(positions.length);
        for (int m = 0; m < positions.length; m++) {
          int start = input.starts()[positions[m]];
          int end = input.ends()[positions[m]];
          List<Candidate> candidates =
              MaskedText.candidates(rows[m], topK, targets, version.tokenizer(), text, start, end);
          masks.add(new MaskPrediction(positions[m], start, end, candidates));
        }
        result.complete(new FillMaskResult(version.version(), text, masks));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
  }
}
