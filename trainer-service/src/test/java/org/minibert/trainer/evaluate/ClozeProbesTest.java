package org.minibert.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

class ClozeProbesTest {
  @TempDir static Path dir;
  static NDManager manager;
  static BertTokenizer tokenizer;
  static BertForPreTraining model;

  @BeforeAll
  static void setUp() {
    Path data = TinyRuns.prepareSample(dir.resolve("data"), 600, 64);
    try {
      tokenizer = BertTokenizer.load(data.resolve(TokenizerJsonWriter.TOKENIZER_JSON));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Engine.getInstance().setRandomSeed(5);
    manager = NDManager.newBaseManager();
    model =
        new BertForPreTraining(
            new BertConfig("tiny", tokenizer.vocabSize(), 16, 1, 2, 32, 64, 2, 0, 0, 1e-12, 0.02));
    model.initialize(manager);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
    tokenizer.close();
  }

  @Test
  void readsTheTsvAndNamesTheLineOfABadProbe() throws IOException {
    Path good =
        Files.writeString(
            dir.resolve("good.tsv"),
            "sentence\tanswer\n# comment\n\n서울은 [MASK]이다.\t도시\n# Part 2: more\n물은 [MASK]이다.\t액체\n");
    assertThat(ClozeProbes.read(good))
        .containsExactly(
            new ClozeProbes.Probe("서울은 [MASK]이다.", "도시", 4, ""),
            new ClozeProbes.Probe("물은 [MASK]이다.", "액체", 6, "Part 2: more"));
    Path twoMasks = Files.writeString(dir.resolve("two.tsv"), "[MASK]와 [MASK]\t둘\n");
    assertThatThrownBy(() -> ClozeProbes.read(twoMasks))
        .hasMessageContaining("two.tsv:1")
        .hasMessageContaining("exactly one");
    Path noAnswer = Files.writeString(dir.resolve("none.tsv"), "서울은 [MASK]이다.\n");
    assertThatThrownBy(() -> ClozeProbes.read(noAnswer))
        .hasMessageContaining("sentence<TAB>answer");
  }

  @Test
  void candidatesAreNeverSpecialTokensAndFitTheirPlace() {
    ClozeProbes.Report report =
        ClozeProbes.run(
            dir.resolve("p.tsv"),
            List.of(new ClozeProbes.Probe("대한민국의 수도는 [MASK]이다.", "서울", 1)),
            model,
            tokenizer,
            manager);
    List<String> top5 = report.outcomes().get(0).top5();
    assertThat(top5).hasSize(5).doesNotContainAnyElementsOf(SpecialTokens.ALL);
  }

  @Test
  void anAnswerWithoutAnyPieceIsAMissNotAHit() {
    // a zero-width space is cleaned away by the normalizer: the answer has no piece at all
    ClozeProbes.Report report =
        ClozeProbes.run(
            dir.resolve("p.tsv"),
            List.of(new ClozeProbes.Probe("대한민국의 수도는 [MASK]이다.", "\u200b", 1)),
            model,
            tokenizer,
            manager);
    assertThat(report.outcomes().get(0).top1Hit()).isFalse();
    assertThat(report.outcomes().get(0).top5Hit()).isFalse();
    assertThat(report.top5Accuracy()).isZero();
  }
}
