package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.FileDigest;
import org.minibert.trainer.data.DatasetInfo;
import org.minibert.trainer.data.SplitFiles;
import org.minibert.trainer.data.TokenizedSplit;

class PrepareCommandTest {
  static final Path SAMPLE = Path.of("../samples/kowiki-sample.xml");

  @TempDir Path tmp;

  @Test
  void preparesTheSampleCorpusIntoAConsistentDataSet() throws IOException {
    Path out = tmp.resolve("data");
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            out.toString(),
            "--vocab-size",
            "2000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("prepared", "held-out [UNK] rate");
    DatasetInfo info = DatasetInfo.read(out);
    assertThat(info.corpus().documents()).isEqualTo(80);
    assertThat(info.corpus().skippedPages()).isEqualTo(4); // two redirects, two other namespaces
    assertThat(info.splits().get("val").documents()).isEqualTo(8); // round(80 * 0.1)
    assertThat(info.splits().get("train").documents() + info.splits().get("val").documents())
        .isEqualTo(80);
    for (FileDigest f : info.files()) {
      assertThat(f.matches(out)).as(f.path()).isTrue();
    }
    assertThat(out.resolveSibling("data.partial")).doesNotExist();
    assertThat(out.resolve("corpus.txt")).doesNotExist();
  }

  @Test
  void trainAndValidationShareNoDocument() throws IOException {
    Path out = tmp.resolve("data");
    assertThat(
            CliRun.of(
                    "prepare",
                    "--input",
                    SAMPLE.toString(),
                    "--out",
                    out.toString(),
                    "--val-fraction",
                    "0.3")
                .exitCode())
        .isZero();
    Set<String> train =
        documents(TokenizedSplit.open("train", new SplitFiles(out.resolve("train"))));
    Set<String> val = documents(TokenizedSplit.open("val", new SplitFiles(out.resolve("val"))));
    assertThat(val).hasSize(24); // round(80 * 0.3)
    assertThat(train).hasSize(56).doesNotContainAnyElementsOf(val);
  }

  @Test
  void withoutAValidationSplitTheTokenizerFiguresSayTheyAreTheTrainingTexts() throws IOException {
    Path out = tmp.resolve("data");
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            out.toString(),
            "--val-fraction",
            "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("no held-out split").doesNotContain("held-out [UNK] rate");
    DatasetInfo info = DatasetInfo.read(out);
    assertThat(info.splits().get("train").documents()).isEqualTo(80);
    assertThat(info.splits().get("val").tokens()).isZero();
  }

  @Test
  void likelihoodMergesMakeSmallerPiecesAndAreRecorded() throws IOException {
    Path frequency = tmp.resolve("frequency");
    Path likelihood = tmp.resolve("likelihood");
    assertThat(
            CliRun.of(
                    "prepare",
                    "--input",
                    SAMPLE.toString(),
                    "--out",
                    frequency.toString(),
                    "--vocab-size",
                    "1200")
                .exitCode())
        .isZero();
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            likelihood.toString(),
            "--vocab-size",
            "1200",
            "--merge-score",
            "likelihood");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("likelihood merges");
    DatasetInfo.TokenizerSummary byFrequency = DatasetInfo.read(frequency).tokenizer();
    DatasetInfo.TokenizerSummary byLikelihood = DatasetInfo.read(likelihood).tokenizer();
    assertThat(byFrequency.mergeScore()).isEqualTo("frequency");
    assertThat(byLikelihood.mergeScore()).isEqualTo("likelihood");
    assertThat(byLikelihood.vocabSize()).isEqualTo(byFrequency.vocabSize()).isEqualTo(1200);
    assertThat(byLikelihood.tokensPerWord()).isGreaterThan(byFrequency.tokensPerWord());
  }

  @Test
  void rejectsAnUnknownMergeScore() {
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            tmp.resolve("d").toString(),
            "--merge-score",
            "bpe");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("--merge-score").doesNotContain("Exception");
  }

  @Test
  void sameInputsAndSeedGiveIdenticalFiles() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    assertThat(CliRun.of("prepare", "--input", SAMPLE.toString(), "--out", a.toString()).exitCode())
        .isZero();
    assertThat(CliRun.of("prepare", "--input", SAMPLE.toString(), "--out", b.toString()).exitCode())
        .isZero();
    List<FileDigest> filesA = DatasetInfo.read(a).files();
    assertThat(DatasetInfo.read(b).files()).isEqualTo(filesA);
  }

  @Test
  void missingInputIsOneClearLine() {
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            tmp.resolve("nope.xml").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errorLine())
        .startsWith("minibert prepare: error: input not found:")
        .doesNotContain("\n");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void emptyCorpusIsRejected() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
    CliRun run =
        CliRun.of("prepare", "--input", empty.toString(), "--out", tmp.resolve("o").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errorLine()).contains("empty corpus").doesNotContain("\n");
    assertThat(tmp.resolve("o")).doesNotExist();
    assertThat(tmp.resolve("o.partial")).doesNotExist();
  }

  @Test
  void malformedDumpSaysWhere() throws IOException {
    String dump = Files.readString(SAMPLE);
    int cut = dump.indexOf("<title>태양</title>");
    Path broken =
        Files.writeString(
            tmp.resolve("broken.xml"),
            dump.substring(0, cut) + "<title>태양</title><ns>0</ns><revision><text>x</mediawiki>");
    CliRun run =
        CliRun.of("prepare", "--input", broken.toString(), "--out", tmp.resolve("o").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errorLine()).contains("broken.xml", "태양").doesNotContain("\n");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void undecodableBytesAreReplacedAndCounted() throws IOException {
    Path text = tmp.resolve("bad.txt");
    byte[] good =
        "대한민국의 수도는 서울이다.\n서울은 큰 도시이다.\n\n한강은 서울을 흐른다.\n부산은 항구 도시이다.\n"
            .repeat(20)
            .getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[good.length + 3];
    System.arraycopy(good, 0, bytes, 0, good.length);
    bytes[good.length] = (byte) 0xff;
    bytes[good.length + 1] = (byte) 0xfe;
    bytes[good.length + 2] = '\n';
    Files.write(text, bytes);
    Path out = tmp.resolve("o");
    CliRun run =
        CliRun.of(
            "prepare", "--input", text.toString(), "--out", out.toString(), "--vocab-size", "200");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(DatasetInfo.read(out).corpus().replacedBytes()).isEqualTo(2);
    assertThat(run.out()).contains("2 undecodable bytes replaced");
  }

  @Test
  void vocabularyTooSmallForTheSpecialTokensIsRejectedBeforeReading() {
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--vocab-size",
            "4");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errorLine()).contains("vocabulary size 4 is too small").doesNotContain("\n");
  }

  @Test
  void nonEmptyOutputFolderIsRejectedAndLeftAlone() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("o"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    CliRun run = CliRun.of("prepare", "--input", SAMPLE.toString(), "--out", out.toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errorLine()).contains("is not empty");
    assertThat(out.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void badOptionValuesAreOneLineWithAHint() {
    CliRun run =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--val-fraction",
            "abc");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLine()).contains("--val-fraction", "--help").doesNotContain("\n");

    CliRun range =
        CliRun.of(
            "prepare",
            "--input",
            SAMPLE.toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--val-fraction",
            "1.5");
    assertThat(range.exitCode()).isNotZero();
    assertThat(range.errorLine()).contains("validation fraction");
  }

  /** Each document's token sequence as a string, to compare documents across splits. */
  private static Set<String> documents(TokenizedSplit split) {
    Set<String> docs = new HashSet<>();
    for (int d = 0; d < split.documentCount(); d++) {
      long start = split.sentenceStart(split.firstSentence(d));
      long end = split.sentenceStart(split.firstSentence(d) + split.sentenceCount(d));
      int[] ids = new int[(int) (end - start)];
      split.copyTokens(start, ids.length, ids, 0);
      docs.add(java.util.Arrays.toString(ids));
    }
    return docs;
  }
}
