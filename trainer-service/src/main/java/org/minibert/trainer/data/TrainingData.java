package org.minibert.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

/**
 * A prepared data set opened for training or evaluation: both splits memory-mapped, their sentence-pair
 * instances generated (seeded, so every run and every resume sees the same pairs), and a batch builder per split.
 */
public final class TrainingData {
  /** BERT's share of shorter sequences, which teaches the model short inputs too. */
  public static final double SHORT_SEQUENCE_PROBABILITY = 0.1;

  private final Path dir;
  private final DatasetInfo info;
  private final int vocabSize;
  private final BatchBuilder train;
  private final BatchBuilder val;

  private TrainingData(Path dir, DatasetInfo info, int vocabSize, BatchBuilder train, BatchBuilder val) {
    this.dir = dir;
    this.info = info;
    this.vocabSize = vocabSize;
    this.train = train;
    this.val = val;
  }

  public static TrainingData open(Path dir, long seed, boolean wholeWordMasking, boolean staticMasking) throws IOException {
    DatasetInfo info = DatasetInfo.read(dir);
    info.checkFilesPresent(dir);
    boolean[] continuation;
    try (BertTokenizer tokenizer = BertTokenizer.load(dir.resolve(TokenizerJsonWriter.TOKENIZER_JSON))) {
      continuation = new boolean[tokenizer.vocabSize()];
      for (int id = 0; id < continuation.length; id++) {
        continuation[id] = tokenizer.token(id).startsWith(SpecialTokens.CONTINUATION);
      }
    }
    MaskingPolicy defaults = MaskingPolicy.bertDefaults(info.maxSeqLen());
    MaskingPolicy policy = new MaskingPolicy(defaults.maskProbability(), defaults.maxPredictions(), wholeWordMasking, !staticMasking);
    InstanceGenerator generator = new InstanceGenerator(info.maxSeqLen(), SHORT_SEQUENCE_PROBABILITY, continuation);

    TokenizedSplit trainSplit = TokenizedSplit.open(DatasetInfo.TRAIN, info.splitFiles(dir, DatasetInfo.TRAIN));
    TokenizedSplit valSplit = TokenizedSplit.open(DatasetInfo.VAL, info.splitFiles(dir, DatasetInfo.VAL));
    if (trainSplit.documentCount() == 0) {
      throw new IllegalArgumentException("data set " + dir + " has no training documents");
    }
    Instances trainInstances = generator.generate(trainSplit, seed);
    Instances valInstances = valSplit.documentCount() == 0 ? new Instances() : generator.generate(valSplit, seed + 1);
    // validation masks never change between evaluations, so figures are comparable across the run
    MaskingPolicy valPolicy = new MaskingPolicy(policy.maskProbability(), policy.maxPredictions(), wholeWordMasking, false);
    return new TrainingData(
        dir, info, continuation.length,
        new BatchBuilder(trainSplit, trainInstances, policy, continuation, seed),
        new BatchBuilder(valSplit, valInstances, valPolicy, continuation, seed + 1));
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

  public BatchBuilder val() {
    return val;
  }
}
