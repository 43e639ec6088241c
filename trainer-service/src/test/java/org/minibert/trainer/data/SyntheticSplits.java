package org.minibert.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Writes small synthetic splits for the data tests. */
final class SyntheticSplits {
  private SyntheticSplits() {}

  /**
   * Documents of 1..maxSentences sentences of 1..maxSentenceLength tokens each. Token ids encode the document
   * (id = 5 + doc % (vocab - 5)) so tests can tell which document a token came from.
   */
  static TokenizedSplit write(Path dir, int documents, int maxSentences, int maxSentenceLength, int vocab, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    SplitFiles files = new SplitFiles(dir);
    try (SplitWriter writer = new SplitWriter(files)) {
      for (int d = 0; d < documents; d++) {
        List<int[]> sentences = new ArrayList<>();
        int count = random.nextInt(1, maxSentences + 1);
        for (int s = 0; s < count; s++) {
          int[] sentence = new int[random.nextInt(1, maxSentenceLength + 1)];
          java.util.Arrays.fill(sentence, 5 + d % (vocab - 5));
          sentences.add(sentence);
        }
        writer.addDocument(sentences);
      }
    }
    return TokenizedSplit.open(dir.getFileName().toString(), files);
  }
}
