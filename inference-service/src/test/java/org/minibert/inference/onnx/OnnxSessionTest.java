package org.minibert.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.fillmask.MaskSlot;
import org.minibert.core.io.FileDigest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.testing.TinyModel;

/**
 * The committed tiny model through both of its graphs: the serving graph must answer exactly what
 * {@code model.onnx} answers (which versions without a serving graph still serve), at every {@code
 * [MASK]} of rows of different lengths and for next-sentence rows alone. Its masked-LM scores are
 * log-probabilities; {@code model.onnx}'s are logits, compared after their softmax normaliser. A
 * serving graph exported before the graph normalised its scores ({@code mask_logits}, committed in
 * {@code tiny-model-mask-logits} with the {@code model.onnx} of the same weights) still serves.
 */
class OnnxSessionTest {
  private static final double TOLERANCE = 1e-4;

  @TempDir static Path tmp;
  private static BertTokenizer tokenizer;
  private static List<Encoded> rows;

  @BeforeAll
  static void setUp() throws Exception {
    tokenizer = BertTokenizer.load(TinyModel.folder().resolve(ModelLayout.TOKENIZER_JSON));
    rows =
        List.of(
            tokenizer.encode("대한민국의 수도는 [MASK]이다."),
            tokenizer.encode("[MASK] 역사는 [MASK][MASK] 길다. 서울은 한국의 수도이며 큰 도시이다."),
            tokenizer.encodePair("서울은 크다.", "부산은 바다에 있다."));
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  @Test
  void theServingGraphScoresTheMasksAsModelOnnxDoes() throws Exception {
    try (OnnxSession serving = open(copy("both", true), false);
        OnnxSession full = open(copy("full-only", false), false)) {
      assertThat(serving.graph()).isEqualTo(ModelLayout.MODEL_SERVING_ONNX);
      assertThat(full.graph()).isEqualTo(ModelLayout.MODEL_ONNX);

      // each run's scores are read before the next: both land in this thread's reused buffer
      BatchOutput a = serving.run(rows, true, true);
      List<float[]> servingScores = maskLogProbabilities(a);
      BatchOutput b = full.run(rows, true, true);
      assertThat(a.logProbabilities()).isTrue();
      assertThat(b.logProbabilities()).isFalse();
      assertSame(servingScores, maskLogProbabilities(b));
      int masks = servingScores.size();
      assertThat(masks).isEqualTo(4);
      for (int row = 0; row < rows.size(); row++) {
        assertClose(a.nsp(row), b.nsp(row));
      }
      assertThat(a.scores().capacity())
          .as("the serving graph's scores are [masks, vocab]")
          .isEqualTo(masks * tokenizer.vocabSize());
      assertThatThrownBy(() -> a.scores(0, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("row 0, position 1");
    }
  }

  @Test
  void aServingGraphExportedBeforeLogProbabilitiesServesItsLogits() throws Exception {
    Path legacy = Path.of("src/test/resources/tiny-model-mask-logits");
    Path both = Files.createDirectories(tmp.resolve("mask-logits"));
    Path fullOnly = Files.createDirectories(tmp.resolve("mask-logits-full-only"));
    for (Path folder : List.of(both, fullOnly)) {
      Files.copy(legacy.resolve(ModelLayout.MODEL_ONNX), folder.resolve(ModelLayout.MODEL_ONNX));
    }
    Files.copy(
        legacy.resolve(ModelLayout.MODEL_SERVING_ONNX),
        both.resolve(ModelLayout.MODEL_SERVING_ONNX));
    try (OnnxSession serving = open(both, false);
        OnnxSession full = open(fullOnly, false)) {
      assertThat(serving.graph()).isEqualTo(ModelLayout.MODEL_SERVING_ONNX);
      BatchOutput a = serving.run(rows, true, true);
      assertThat(a.logProbabilities()).as("mask_logits are logits").isFalse();
      List<float[]> servingScores = maskLogProbabilities(a);
      assertSame(servingScores, maskLogProbabilities(full.run(rows, true, true)));
      assertThat(servingScores).hasSize(4);
    }
  }

  @Test
  void aGraphWithoutTheContractsOutputsIsRefusedWithWhatItHas() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("not-a-serving-graph"));
    Files.copy(
        TinyModel.folder().resolve(ModelLayout.MODEL_ONNX), folder.resolve(ModelLayout.MODEL_ONNX));
    // model.onnx under the serving graph's name: no mask_positions, no mask scores
    Files.copy(
        TinyModel.folder().resolve(ModelLayout.MODEL_ONNX),
        folder.resolve(ModelLayout.MODEL_SERVING_ONNX));
    assertThatThrownBy(() -> open(folder, false))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("model.serving.onnx of test has inputs")
        .hasMessageContaining(
            "expected inputs input_ids, attention_mask, token_type_ids, mask_positions")
        .hasMessageContaining("mask_log_probs, nsp_logits (or mask_logits for the first)");
  }

  @Test
  void nextSentenceAloneRunsWithoutTheMaskedLmHead() throws Exception {
    try (OnnxSession serving = open(copy("nsp", true), false);
        OnnxSession full = open(copy("nsp-full", false), false)) {
      List<Encoded> pairs = List.of(rows.get(2), rows.get(0));
      BatchOutput a = serving.run(pairs, false, true);
      BatchOutput b = full.run(pairs, false, true);
      assertThat(a.scores()).isNull();
      assertClose(a.nsp(0), b.nsp(0));
      assertClose(a.nsp(1), b.nsp(1));
    }
  }

  @Test
  void theOptimizedGraphIsKeptAndLoadedOnTheNextStart() throws Exception {
    Path folder = copy("cached", true);
    float[] first;
    try (OnnxSession session = open(folder, true)) {
      first = session.run(rows, true, false).scores(0, maskOf(0)).values();
    }
    Path optimized =
        folder.resolve(OnnxSession.OPTIMIZED_FOLDER).resolve(ModelLayout.MODEL_SERVING_ONNX);
    assertThat(optimized).isRegularFile();
    Path record = OptimizedCopy.checksumOf(optimized);
    assertThat(record).as("the copy's checksum is recorded beside it").isRegularFile();
    assertThat(Files.readString(record).strip()).isEqualTo(FileDigest.sha256(optimized));
    try (Stream<Path> left = Files.list(optimized.getParent())) {
      assertThat(left).as("no partial file left").containsExactlyInAnyOrder(optimized, record);
    }
    try (OnnxSession session = open(folder, true)) {
      assertClose(session.run(rows, true, false).scores(0, maskOf(0)).values(), first);
    }
    Files.write(optimized, new byte[] {1, 2, 3}); // damaged: the original is optimized again
    try (OnnxSession session = open(folder, true)) {
      assertClose(session.run(rows, true, false).scores(0, maskOf(0)).values(), first);
    }
    assertThat(Files.size(optimized)).isGreaterThan(3);
  }

  /**
   * A copy swapped for another graph that ONNX Runtime loads fine is not trusted: its bytes do not
   * match the record, so it is rebuilt from the verified original.
   */
  @Test
  void anOptimizedCopyThatDoesNotMatchItsChecksumIsRebuilt() throws Exception {
    Path folder = copy("swapped", true);
    float[] first;
    try (OnnxSession session = open(folder, true)) {
      first = session.run(rows, true, false).scores(0, maskOf(0)).values();
    }
    Path optimized =
        folder.resolve(OnnxSession.OPTIMIZED_FOLDER).resolve(ModelLayout.MODEL_SERVING_ONNX);
    Path planted = TinyModel.folder().resolve(ModelLayout.MODEL_ONNX); // a valid, other graph
    Files.copy(planted, optimized, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (OnnxSession session = open(folder, true)) {
      assertClose(session.run(rows, true, false).scores(0, maskOf(0)).values(), first);
    }
    assertThat(FileDigest.sha256(optimized))
        .isNotEqualTo(FileDigest.sha256(planted))
        .isEqualTo(Files.readString(OptimizedCopy.checksumOf(optimized)).strip());
  }

  /** Every mask's log-probabilities in a batch's output, the rows' masks in order. */
  private static List<float[]> maskLogProbabilities(BatchOutput output) {
    List<float[]> masks = new ArrayList<>();
    for (int row = 0; row < rows.size(); row++) {
      for (MaskSlot slot : MaskSlot.find(rows.get(row), tokenizer)) {
        masks.add(logProbabilities(output.scores(row, slot.position())));
      }
    }
    return masks;
  }

  private static void assertSame(List<float[]> actual, List<float[]> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int m = 0; m < actual.size(); m++) {
      assertClose(actual.get(m), expected.get(m));
    }
  }

  private static float[] logProbabilities(MaskScores scores) {
    float[] out = scores.values();
    double normaliser = scores.logNormaliser();
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] - normaliser);
    }
    return out;
  }

  private static int maskOf(int row) {
    return MaskSlot.find(rows.get(row), tokenizer).get(0).position();
  }

  private static OnnxSession open(Path folder, boolean cacheOptimized) throws Exception {
    return OnnxSession.open(
        folder,
        "test",
        new SessionSettings(ExecutionProvider.CPU, 1, 1, true, true, cacheOptimized),
        tokenizer.vocabSize());
  }

  private static Path copy(String name, boolean withServingGraph) throws Exception {
    Path folder = Files.createDirectories(tmp.resolve(name));
    Files.copy(
        TinyModel.folder().resolve(ModelLayout.MODEL_ONNX), folder.resolve(ModelLayout.MODEL_ONNX));
    if (withServingGraph) {
      Files.copy(
          TinyModel.folder().resolve(ModelLayout.MODEL_SERVING_ONNX),
          folder.resolve(ModelLayout.MODEL_SERVING_ONNX));
    }
    return folder;
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    assertThat(max).isLessThan(TOLERANCE);
  }
}
