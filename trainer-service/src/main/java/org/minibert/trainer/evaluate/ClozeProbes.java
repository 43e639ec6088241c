package org.minibert.trainer.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.fillmask.TopK;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Cloze probes: general-knowledge sentences with one {@code [MASK]} and the expected word ("대한민국의
 * 수도는 [MASK]이다." -> 서울). They test what held-out loss cannot: whether the model knows what users
 * ask about (a model trained only on Wikipedia failed everyday probes in the reference experiment).
 *
 * <p>An answer of k word pieces is probed with k masks in a row, each predicted independently among
 * the pieces that can stand there ({@link MaskSlot}: a word start first, then continuations; never
 * a special token): top-1 is a hit when every piece is the arg-max, top-5 when every piece is among
 * its five best. An answer the vocabulary cannot spell ({@code [UNK]}, or no piece at all) is a
 * miss.
 */
public final class ClozeProbes {
  /**
   * One probe: a sentence with a single {@code [MASK]} and the expected answer.
   *
   * @param section the heading of its part of the file (a {@code # Part ...} comment), or "" before
   *     any
   */
  public record Probe(String sentence, String answer, int line, String section) {
    public Probe(String sentence, String answer, int line) {
      this(sentence, answer, line, "");
    }
  }

  /** The outcome of one probe. */
  public record Outcome(
      String sentence,
      String answer,
      List<String> top5,
      boolean top1Hit,
      boolean top5Hit,
      String section) {}

  /** The accuracies of one part of the file. */
  public record Section(String name, int probes, int top1Hits, int top5Hits) {}

  /** All outcomes with their accuracies, overall and per part of the file. */
  public record Report(
      String file,
      int probes,
      double top1Accuracy,
      double top5Accuracy,
      List<Section> sections,
      List<Outcome> outcomes) {}

  /** A comment that starts a part of a probe file. */
  private static final String SECTION_PREFIX = "# Part";

  private ClozeProbes() {}

  /**
   * Reads a TSV {@code sentence<TAB>answer} file; '#' comments, blank lines and a "sentence answer"
   * header are skipped.
   */
  public static List<Probe> read(Path file) throws IOException {
    List<Probe> probes = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String section = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith(SECTION_PREFIX)) {
        section = line.substring(1).strip();
      }
      if (line.isEmpty()
          || line.startsWith("#")
          || (probes.isEmpty() && line.toLowerCase().startsWith("sentence\t"))) {
        continue;
      }
      String[] parts = line.split("\t");
      if (parts.length != 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected 'sentence<TAB>answer'");
      }
      int masks =
          (parts[0].length() - parts[0].replace(SpecialTokens.MASK, "").length())
              / SpecialTokens.MASK.length();
      if (masks != 1) {
        throw new IllegalArgumentException(
            file
                + ":"
                + (i + 1)
                + ": a probe needs exactly one "
                + SpecialTokens.MASK
                + ", found "
                + masks);
      }
      probes.add(new Probe(parts[0].strip(), parts[1].strip(), i + 1, section));
    }
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("no probes in " + file);
    }
    return probes;
  }

  public static Report run(
      Path file,
      List<Probe> probes,
      BertForPreTraining model,
      BertTokenizer tokenizer,
      NDManager manager) {
    ParameterStore ps = new ParameterStore(manager, false);
    List<Outcome> outcomes = new ArrayList<>();
    java.util.Map<String, int[]> bySection = new java.util.LinkedHashMap<>();
    int top1 = 0;
    int top5 = 0;
    for (Probe probe : probes) {
      Outcome outcome = probe(probe, model, tokenizer, manager, ps);
      outcomes.add(outcome);
      top1 += outcome.top1Hit() ? 1 : 0;
      top5 += outcome.top5Hit() ? 1 : 0;
      int[] counts = bySection.computeIfAbsent(probe.section(), name -> new int[3]);
      counts[0]++;
      counts[1] += outcome.top1Hit() ? 1 : 0;
      counts[2] += outcome.top5Hit() ? 1 : 0;
    }
    List<Section> sections =
        bySection.entrySet().stream()
            .map(e -> new Section(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
            .toList();
    return new Report(
        file.toString(),
        probes.size(),
        (double) top1 / probes.size(),
        (double) top5 / probes.size(),
        sections,
        outcomes);
  }

  private static Outcome probe(
      Probe probe,
      BertForPreTraining model,
      BertTokenizer tokenizer,
      NDManager manager,
      ParameterStore ps) {
    int[] answer = tokenizer.encodeWords(probe.answer());
    String shownAnswer = Normalizer.normalize(probe.answer(), Normalizer.Form.NFC);
    // k masks in a row, glued, for an answer of k pieces: the first takes a word start, the others
    // continue it
    String sentence =
        probe
            .sentence()
            .replace(SpecialTokens.MASK, SpecialTokens.MASK.repeat(Math.max(1, answer.length)));
    Encoded encoded = tokenizer.encode(sentence);
    int length = Math.min(encoded.length(), model.config().maxPositionEmbeddings());
    List<MaskSlot> slots =
        MaskSlot.find(encoded, tokenizer).stream()
            .filter(slot -> slot.position() < length)
            .toList();
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(1, length);
      NDArray ids = scope.create(Arrays.copyOf(encoded.ids(), length), shape);
      NDArray types = scope.create(Arrays.copyOf(encoded.typeIds(), length), shape);
      NDArray mask = scope.create(Arrays.copyOf(encoded.attentionMask(), length), shape);
      int[] positions = slots.stream().mapToInt(MaskSlot::position).toArray();
      NDArray logits =
          model
              .forward(
                  ps,
                  ids,
                  types,
                  mask,
                  scope.create(positions, new Shape(1, positions.length)),
                  false)
              .get(0)
              .get(0); // [k, V]
      // an answer the vocabulary cannot spell ([UNK], or no piece at all) can never be hit
      boolean answerable =
          answer.length > 0
              && slots.size() == answer.length
              && Arrays.stream(answer).noneMatch(id -> id == SpecialTokens.UNK_ID);
      boolean hit1 = answerable;
      boolean hit5 = answerable;
      List<String> firstTop5 = new ArrayList<>();
      for (int k = 0; k < slots.size(); k++) {
        MaskSlot slot = slots.get(k);
        int[] best =
            TopK.indices(logits.get(k).toFloatArray(), 5, id -> slot.accepts(id, tokenizer));
        if (k == 0) {
          for (int id : best) {
            firstTop5.add(BertTokenizer.display(tokenizer.token(id)));
          }
        }
        int expected = k < answer.length ? answer[k] : -1;
        hit1 &= best.length > 0 && best[0] == expected;
        hit5 &= Arrays.stream(best).anyMatch(id -> id == expected);
      }
      return new Outcome(probe.sentence(), shownAnswer, firstTop5, hit1, hit5, probe.section());
    }
  }
}
