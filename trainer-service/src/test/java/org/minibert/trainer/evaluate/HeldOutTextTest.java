package org.minibert.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.fillmask.TopK;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.data.DatasetInfo;
import org.minibert.trainer.data.TokenizedSplit;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

class HeldOutTextTest {
  @TempDir static Path dir;
  static NDManager manager;
  static BertTokenizer tokenizer;
  static BertForPreTraining model;
  static long[] counts;

  @BeforeAll
  static void setUp() throws IOException {
    Path data = TinyRuns.prepareSample(dir.resolve("data"), 600, 64);
    tokenizer = BertTokenizer.load(data.resolve(TokenizerJsonWriter.TOKENIZER_JSON));
    DatasetInfo info = DatasetInfo.read(data);
    TokenizedSplit train =
        TokenizedSplit.open(DatasetInfo.TRAIN, info.splitFiles(data, DatasetInfo.TRAIN));
    counts = HeldOutText.pieceCounts(train, tokenizer.vocabSize());
    Engine.getInstance().setRandomSeed(3);
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
  void countsEveryPieceOfTheTrainingSplit() {
    assertThat(java.util.Arrays.stream(counts).sum()).isGreaterThan(1000);
    assertThat(counts[SpecialTokens.MASK_ID]).isZero();
  }

  @Test
  void masksFifteenPercentOfEachPassageAndScoresModelAndBaselineOnTheSamePieces()
      throws IOException {
    Path text =
        Files.writeString(
            dir.resolve("text.txt"),
            """
            서울은 대한민국의 수도이며 가장 큰 도시이다.

            한강은 서울을 가로질러 서해로 흘러간다.
            짧다.
            """);
    HeldOutText.Report report = HeldOutText.run(List.of(text), model, tokenizer, counts, manager);

    assertThat(report.passages()).isEqualTo(3);
    int expected = 0;
    for (String line : HeldOutText.readPassages(List.of(text))) {
      int real = tokenizer.encode(line).length() - 2;
      expected += Math.max(1, (int) Math.round(real * HeldOutText.MASK_SHARE));
    }
    assertThat(report.maskedPieces()).isEqualTo(expected);
    assertThat(report.mlmLoss()).isPositive();
    assertThat(List.of(report.top1(), report.top5(), report.unigramTop1(), report.unigramTop5()))
        .allSatisfy(share -> assertThat(share).isBetween(0.0, 1.0));
    assertThat(report.top5()).isGreaterThanOrEqualTo(report.top1());
    assertThat(report.sha256()).hasSize(64);
    // the masks depend on the text alone: the figures repeat exactly
    assertThat(HeldOutText.run(List.of(text), model, tokenizer, counts, manager)).isEqualTo(report);
  }

  @Test
  void theBaselineAlwaysAnswersTheMostFrequentPieceOfItsKind() throws IOException {
    float[] frequency = new float[counts.length];
    for (int id = 0; id < counts.length; id++) {
      frequency[id] = counts[id];
    }
    int mostFrequentWord =
        TopK.indices(
            frequency, 1, id -> id >= SpecialTokens.ALL.size() && !tokenizer.isContinuation(id))[0];
    String word = BertTokenizer.display(tokenizer.token(mostFrequentWord));
    // a passage of nothing but that word: whatever is masked, the baseline's first answer is right
    Path text =
        Files.writeString(
            dir.resolve("frequent.txt"), String.join(" ", java.util.Collections.nCopies(20, word)));
    assertThat(tokenizer.encode(word).length()).as("'%s' is one piece", word).isEqualTo(3);
    HeldOutText.Report report = HeldOutText.run(List.of(text), model, tokenizer, counts, manager);
    assertThat(report.unigramTop1()).isEqualTo(1.0);
    // every masked word is that one piece: the baseline's loss per word is -log of its frequency
    assertThat(report.wordUnigramTop1()).isEqualTo(1.0);
    long total = Arrays.stream(counts).sum();
    assertThat(report.wordUnigramLoss())
        .isCloseTo(
            Math.log((double) (total + counts.length) / (counts[mostFrequentWord] + 1)),
            within(1e-9));
    assertThat(report.wordLoss()).isPositive();
  }

  @Test
  void aFileWithoutTextIsAClearError() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n  \n");
    assertThatThrownBy(() -> HeldOutText.readPassages(List.of(empty)))
        .hasMessageContaining("no text in");
  }
}
