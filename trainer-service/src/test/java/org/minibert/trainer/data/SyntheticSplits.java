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
   * Documents of 1..maxSentences sentences of 1..maxSentenceLength tokens each. Token ids encode
   * the document (id = 5 + doc % (vocab - 5)) so tests can tell which document a token came from.
   */
  static TokenizedSplit write(
      Path dir, int documents, int maxSentences, int maxSentenceLength, int vocab, long seed)
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

  /** Word-start id of {@link #words}. */
  static final int WORD_START = 10;

  /** Continuation id of {@link #words}. */
  static final int CONTINUATION = 11;

  /**
   * Documents of words of three pieces ({@link #WORD_START} then two {@link #CONTINUATION}s): for
   * each document, its sentences' lengths in words.
   */
  static TokenizedSplit words(Path dir, List<int[]> documents) throws IOException {
    SplitFiles files = new SplitFiles(dir);
    try (SplitWriter writer = new SplitWriter(files)) {
      for (int[] sentenceWords : documents) {
        List<int[]> sentences = new ArrayList<>();
        for (int count : sentenceWords) {
          int[] sentence = new int[3 * count];
          for (int t = 0; t < sentence.length; t++) {
            sentence[t] = t % 3 == 0 ? WORD_START : CONTINUATION;
          }
          sentences.add(sentence);
        }
        writer.addDocument(sentences);
      }
    }
    return TokenizedSplit.open(dir.getFileName().toString(), files);
  }

  /** The continuation table of {@link #words} for a vocabulary. */
  static boolean[] wordsContinuation(int vocab) {
    boolean[] continuation = new boolean[vocab];
    continuation[CONTINUATION] = true;
    return continuation;
  }
}
