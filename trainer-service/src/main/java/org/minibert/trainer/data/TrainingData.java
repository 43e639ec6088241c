package org.minibert.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

/**
 * A prepared data set opened for training or evaluation: both splits memory-mapped, their instances
 * generated (sentence pairs for MLM+NSP, contiguous text for masked LM alone) (seeded, so every run
 * and every resume sees the same pairs), and a batch builder per split.
 */
public final class TrainingData {
  /** BERT's share of shorter sequences, which teaches the model short inputs too. */
  public static final double SHORT_SEQUENCE_PROBABILITY = 0.1;

  /**
   * Seeds the validation pairs, their masks and the subset an evaluation uses: a constant, not the
   * run's seed, so every run on a data set is scored on the same validation set and runs of
   * different seeds compare.
   */
  public static final long VALIDATION_SEED = 20_181_011L;

  private final Path dir;
  private final DatasetInfo info;
  private final int vocabSize;
  private final BatchBuilder train;
  private final BatchBuilder valPieces;
  private final BatchBuilder valWholeWords;
  private final boolean trainsWholeWords;

  private TrainingData(
      Path dir,
      DatasetInfo info,
      int vocabSize,
      BatchBuilder train,
      BatchBuilder valPieces,
      BatchBuilder valWholeWords,
      boolean trainsWholeWords) {
    this.dir = dir;
    this.info = info;
    this.vocabSize = vocabSize;
    this.train = train;
    this.valPieces = valPieces;
    this.valWholeWords = valWholeWords;
    this.trainsWholeWords = trainsWholeWords;
  }

  /**
   * Opens a data set for training with these options: training pairs drawn anew every epoch (unless
   * static masking) and masked as the options say; validation instances fixed by the data set alone
   * ({@link #VALIDATION_SEED}), with fixed masks at BERT's 15%, one piece at a time ({@link
   * #val()}) and whole words ({@link #valWholeWord()}), so figures compare along a run and across
   * recipes.
   */
  public static TrainingData open(Path dir, TrainOptions options) throws IOException {
    DatasetInfo info = DatasetInfo.read(dir);
    info.checkFilesPresent(dir);
    boolean[] continuation;
    try (BertTokenizer tokenizer =
        BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON))) {
      continuation = new boolean[tokenizer.vocabSize()];
      for (int id = 0; id < continuation.length; id++) {
        continuation[id] = tokenizer.isContinuation(id);
      }
    }
    long seed = options.seed();
    MaskingPolicy policy =
        MaskingPolicy.of(
            options.maskRate(),
            info.maxSeqLen(),
            options.wholeWordMasking(),
            !options.staticMasking(),
            options.keepWordEnding());
    // next-sentence prediction needs pairs; masked LM alone trains on text filling the sequence
    InstanceGenerator generator =
        options.objective().trainsNsp()
            ? InstanceGenerator.sentencePairs(info.maxSeqLen(), SHORT_SEQUENCE_PROBABILITY)
            : InstanceGenerator.contiguousText(info.maxSeqLen());

    TokenizedSplit trainSplit =
        TokenizedSplit.open(DatasetInfo.TRAIN, info.splitFiles(dir, DatasetInfo.TRAIN));
    TokenizedSplit valSplit =
        TokenizedSplit.open(DatasetInfo.VAL, info.splitFiles(dir, DatasetInfo.VAL));
    if (trainSplit.documentCount() == 0) {
      throw new IllegalArgumentException("data set " + dir + " has no training documents");
    }
    EpochInstances trainInstances =
        new EpochInstances(generator, trainSplit, seed, !options.staticMasking());
    EpochInstances valInstances = new EpochInstances(generator, valSplit, VALIDATION_SEED, false);
    MaskingPolicy valPieces =
        MaskingPolicy.of(MaskingPolicy.BERT_MASK_RATE, info.maxSeqLen(), false, false);
    MaskingPolicy valWords =
        MaskingPolicy.of(MaskingPolicy.BERT_MASK_RATE, info.maxSeqLen(), true, false);
    return new TrainingData(
        dir,
        info,
        continuation.length,
        new BatchBuilder(trainSplit, trainInstances, policy, continuation, seed),
        new BatchBuilder(valSplit, valInstances, valPieces, continuation, VALIDATION_SEED),
        new BatchBuilder(valSplit, valInstances, valWords, continuation, VALIDATION_SEED),
        options.wholeWordMasking());
  }

  public Path dir() {
    return dir;
  }

  public DatasetInfo info() {
    return info;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public BatchBuilder train() {
    return train;
  }

  /**
   * Validation masked as the run trains, single pieces or whole words (at 15%, with no kept
   * endings): the headline figure, which scores the task the run learns.
   */
  public BatchBuilder val() {
    return trainsWholeWords ? valWholeWords : valPieces;
  }

  /** Validation masked the other way, shown beside the headline figure. */
  public BatchBuilder valOther() {
    return trainsWholeWords ? valPieces : valWholeWords;
  }

  /** The validation instances with single pieces masked. */
  public BatchBuilder valPieces() {
    return valPieces;
  }

  /** The same validation instances with whole words masked. */
  public BatchBuilder valWholeWord() {
    return valWholeWords;
  }
}
