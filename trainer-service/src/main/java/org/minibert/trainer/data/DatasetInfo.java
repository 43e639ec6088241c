package org.minibert.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.Json;

/**
 * {@code DIR/dataset.json}: what a prepared data set holds, how it was made, and the checksums of
 * its files. It is written last, so a folder with a dataset.json is complete.
 */
public record DatasetInfo(
    int formatVersion,
    String createdAt,
    List<String> inputs,
    long seed,
    int maxSeqLen,
    double valFraction,
    CorpusSummary corpus,
    Map<String, SplitSummary> splits,
    TokenizerSummary tokenizer,
    List<FileDigest> files) {

  public static final String FILE = "dataset.json";
  public static final String TRAIN = "train";
  public static final String VAL = "val";
  public static final int FORMAT_VERSION = 1;

  /** What the corpus readers saw. */
  public record CorpusSummary(
      long files, long documents, long skippedPages, long replacedBytes, long defusedSentences) {}

  /** Size of one split after tokenization. */
  public record SplitSummary(long documents, long sentences, long tokens) {}

  /**
   * The tokenizer's figures.
   *
   * @param unkRate share of [UNK] among the tokens of the validation split, whose text the
   *     vocabulary never saw (of the training split when there is no validation split)
   * @param tokensPerWord WordPiece tokens per whitespace-separated word on the validation split (on
   *     the training split when there is none)
   * @param trainUnkRate share of [UNK] on the training split (the text the vocabulary was learnt
   *     from)
   * @param mergeScore how the WordPiece merges were chosen ({@code frequency} or {@code
   *     likelihood}); null in data sets prepared before the choice existed, which are {@code
   *     frequency}
   */
  public record TokenizerSummary(
      int vocabSize,
      double unkRate,
      double tokensPerWord,
      double trainUnkRate,
      String mergeScore) {}

  /**
   * Reads {@code dir/dataset.json}, with a clear message when the folder is not a prepared data
   * set.
   */
  public static DatasetInfo read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("data folder not found: " + dir);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "not a prepared data set: "
              + dir
              + " has no "
              + FILE
              + " (make one with: bin/minibert prepare --input ... --out "
              + dir
              + ")");
    }
    DatasetInfo info = Json.read(file, DatasetInfo.class);
    if (info.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "data set "
              + dir
              + " has format "
              + info.formatVersion()
              + ", this build reads "
              + FORMAT_VERSION
              + ": prepare it again");
    }
    return info;
  }

  /**
   * Checks that every listed file is there with its recorded size (cheap; checksums are for export
   * and audits).
   */
  public void checkFilesPresent(Path dir) throws IOException {
    for (FileDigest f : files) {
      Path path = dir.resolve(f.path());
      if (!Files.isRegularFile(path) || Files.size(path) != f.size()) {
        throw new IllegalStateException(
            "data set " + dir + " is damaged: " + f.path() + " is missing or has the wrong size");
      }
    }
  }

  public SplitFiles splitFiles(Path dir, String split) {
    return new SplitFiles(dir.resolve(split));
  }
}
