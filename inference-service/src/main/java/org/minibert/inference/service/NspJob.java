package org.minibert.inference.service;

import java.util.concurrent.Executor;
import org.minibert.core.registry.OnnxContract;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.ServedVersion;

/**
 * One pair of a next-sentence request: validated and tokenized at once, answered with the NSP
 * softmax.
 */
final class NspJob extends Job<NspResult> {

  /**
   * @param label how messages name the pair: empty for a lone pair, {@code [2].} in a list
   * @throws BadInputException for an empty text or a pair longer than the model reads
   */
  NspJob(ServedVersion version, Executor completion, String first, String second, String label) {
    super(version, completion, pairName(label));
    if (first == null || first.isBlank()) {
      throw new BadInputException(label + "first is missing or empty");
    }
    if (second == null || second.isBlank()) {
      throw new BadInputException(label + "second is missing or empty");
    }
    this.input = version.tokenizer().encodePair(first, second);
    if (input.length() > version.maxPositions()) {
      throw new BadInputException(
          name
              + " is "
              + input.length()
              + " tokens long ([CLS] and two [SEP] included); the model reads at most "
              + version.maxPositions());
    }
  }

  private static String pairName(String label) {
    return label.isEmpty() ? "the pair" : "pair " + label.substring(0, label.length() - 1);
  }

  @Override
  boolean needsLogits() {
    return false;
  }

  @Override
  void complete(BatchOutput output, int row) {
    float[] logits = output.nsp(row);
    double max = Math.max(logits[0], logits[1]);
    double[] exp = {Math.exp(logits[0] - max), Math.exp(logits[1] - max)};
    double p = exp[OnnxContract.NSP_IS_NEXT] / (exp[0] + exp[1]);
    NspResult answer =
        new NspResult(version.version(), p >= 0.5, p, new double[] {logits[0], logits[1]});
    completion.execute(() -> result.complete(answer));
  }
}
