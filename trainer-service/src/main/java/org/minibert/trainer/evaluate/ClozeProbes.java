package org.minibert.trainer.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Cloze probes: general-knowledge sentences with one {@code [MASK]} and the expected word ("대한민국의 수도는 [MASK]이다."
 * -> 서울). They test what held-out loss cannot: whether the model knows what users ask about (a model trained only on
 * Wikipedia failed everyday probes in the reference experiment).
 *
 * <p>An answer of k word pieces is probed with k masks in a row, each predicted independently: top-1 is a hit when
 * every piece is the arg-max, top-5 when every piece is among its five best.
 */
public final class ClozeProbes {
  /** One probe: a sentence with a single {@code [MASK]} and the expected answer. */
  public record Probe(String sentence, String answer, int line) {}

  /** The outcome of one probe. */
  public record Outcome(String sentence, String answer, List<String> top5, boolean top1Hit, boolean top5Hit) {}

  /** All outcomes with their accuracies. */
  public record Report(String file, int probes, double top1Accuracy, double top5Accuracy, List<Outcome> outcomes) {}

  private ClozeProbes() {}

  /** Reads a TSV {@code sentence<TAB>answer} file; '#' comments, blank lines and a "sentence answer" header are skipped. */
  public static List<Probe> read(Path file) throws IOException {
    List<Probe> probes = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || (probes.isEmpty() && line.toLowerCase().startsWith("sentence\t"))) {
        continue;
      }
      String[] parts = line.split("\t");
      if (parts.length != 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'sentence<TAB>answer'");
      }
      int masks = (parts[0].length() - parts[0].replace(SpecialTokens.MASK, "").length()) / SpecialTokens.MASK.length();
      if (masks != 1) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": a probe needs exactly one " + SpecialTokens.MASK + ", found " + masks);
      }
      probes.add(new Probe(parts[0].strip(), parts[1].strip(), i + 1));
    }
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("no probes in " + file);
    }
    return probes;
  }

  public static Report run(Path file, List<Probe> probes, BertForPreTraining model, BertTokenizer tokenizer, NDManager manager) {
    ParameterStore ps = new ParameterStore(manager, false);
    List<Outcome> outcomes = new ArrayList<>();
    int top1 = 0;
    int top5 = 0;
    for (Probe probe : probes) {
      Outcome outcome = probe(probe, model, tokenizer, manager, ps);
      outcomes.add(outcome);
      top1 += outcome.top1Hit() ? 1 : 0;
      top5 += outcome.top5Hit() ? 1 : 0;
    }
    return new Report(file.toString(), probes.size(), (double) top1 / probes.size(), (double) top5 / probes.size(), outcomes);
  }

  private static Outcome probe(Probe probe, BertForPreTraining model, BertTokenizer tokenizer, NDManager manager, ParameterStore ps) {
    int[] answer = tokenizer.encodeWords(probe.answer());
    String sentence = probe.sentence().replace(SpecialTokens.MASK, String.join(" ", java.util.Collections.nCopies(answer.length, SpecialTokens.MASK)));
    Encoded encoded = tokenizer.encode(sentence);
    int length = Math.min(encoded.length(), model.config().maxPositionEmbeddings());
    List<Integer> maskPositions = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      if (encoded.ids()[i] == SpecialTokens.MASK_ID) {
        maskPositions.add(i);
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(1, length);
      NDArray ids = scope.create(java.util.Arrays.copyOf(encoded.ids(), length), shape);
      NDArray types = scope.create(java.util.Arrays.copyOf(encoded.typeIds(), length), shape);
      NDArray mask = scope.create(java.util.Arrays.copyOf(encoded.attentionMask(), length), shape);
      NDArray positions = scope.create(maskPositions.stream().mapToInt(Integer::intValue).toArray(), new Shape(1, maskPositions.size()));
      NDList out = model.forward(ps, ids, types, mask, positions, false);
      NDArray logits = out.get(0).get(0); // [k, V]
      boolean hit1 = maskPositions.size() == answer.length;
      boolean hit5 = hit1;
      List<String> firstTop5 = new ArrayList<>();
      for (int k = 0; k < maskPositions.size(); k++) {
        int[] best = topK(logits.get(k).toFloatArray(), 5);
        if (k == 0) {
          for (int id : best) {
            firstTop5.add(BertTokenizer.display(tokenizer.token(id)));
          }
        }
        int expected = k < answer.length ? answer[k] : -1;
        hit1 &= best[0] == expected;
        hit5 &= java.util.Arrays.stream(best).anyMatch(id -> id == expected);
      }
      return new Outcome(probe.sentence(), Normalizer.normalize(probe.answer(), Normalizer.Form.NFC), firstTop5, hit1, hit5);
    }
  }

  /** Indices of the k largest values, best first. */
  static int[] topK(float[] values, int k) {
    int[] best = new int[Math.min(k, values.length)];
    java.util.Arrays.fill(best, -1);
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < best.length; j++) {
        if (best[j] < 0 || values[i] > values[best[j]]) {
          System.arraycopy(best, j, best, j + 1, best.length - j - 1);
          best[j] = i;
          break;
        }
      }
    }
    return best;
  }
}
