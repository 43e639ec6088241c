package org.minibert.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.BertPreTokenizer;

class WordCountsTest {
  @TempDir Path tmp;

  /** Sentences with a long tail of rare words, so a small table must spill. */
  private static List<String> sentences() {
    SplittableRandom random = new SplittableRandom(7);
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int w = 0; w < 10; w++) {
        int rank = (int) Math.exp(random.nextDouble() * Math.log(50_000));
        s.append("낱말").append(rank).append(w % 3 == 0 ? "을 " : " ");
      }
      sentences.add(s.toString());
    }
    return sentences;
  }

  private WordCounts.Summary count(List<String> sentences, int maxWordsInMemory, int keep)
      throws IOException {
    Path runs = tmp.resolve("runs-" + maxWordsInMemory);
    WordCounts.Summary summary;
    try (WordCounts counts = new WordCounts(runs, maxWordsInMemory)) {
      for (int i = 0; i < sentences.size(); i += 50) {
        counts.addAll(
            WordCounts.countWords(sentences.subList(i, Math.min(sentences.size(), i + 50))));
      }
      if (sentences.size() > 100 && maxWordsInMemory < 1000) {
        assertThat(counts.spills()).isGreaterThan(3);
      }
      summary = counts.finish(keep);
    }
    if (Files.exists(runs)) {
      try (var files = Files.list(runs)) {
        assertThat(files).as("runs deleted on close").isEmpty();
      }
    }
    return summary;
  }

  @Test
  void spilledCountsMergeIntoTheSameTotalsAsCountsInMemory() throws IOException {
    List<String> sentences = sentences();
    WordCounts.Summary inMemory = count(sentences, 100_000, Integer.MAX_VALUE);
    WordCounts.Summary spilled = count(sentences, 300, Integer.MAX_VALUE);
    assertThat(spilled.words()).isEqualTo(inMemory.words());
    assertThat(spilled.counts()).isEqualTo(inMemory.counts());
    assertThat(spilled.symbolCounts()).isEqualTo(inMemory.symbolCounts());
    assertThat(spilled.distinctWords()).isEqualTo(inMemory.words().size());
    assertThat(spilled.totalWords()).isEqualTo(inMemory.totalWords()).isEqualTo(20_000);
  }

  @Test
  void keepsTheMostFrequentWordsTiesToTheSmallerWord() throws IOException {
    List<String> sentences = List.of("다 나 가 가 나 라 마 마 마 다");
    WordCounts.Summary kept = count(sentences, 2, 3);
    // 마 3 kept; of 가, 나 and 다 (2 each) the two smaller; 라 (1) dropped, its symbols counted
    assertThat(kept.words())
        .containsExactly(
            BertPreTokenizer.normalize("가"),
            BertPreTokenizer.normalize("나"),
            BertPreTokenizer.normalize("마"));
    assertThat(kept.counts()).containsExactly(2, 2, 3);
    assertThat(kept.distinctWords()).isEqualTo(5);
    assertThat(kept.symbolCounts().values().stream().mapToLong(Long::longValue).sum())
        .as("one symbol per jamo of every word")
        .isEqualTo(2L * 10);
  }

  @Test
  void aVocabularyFromAllCountedWordsIsTheOneAddTextLearns() throws IOException {
    List<String> sentences = sentences();
    WordPieceTrainer direct = new WordPieceTrainer(400, 2, 2);
    sentences.forEach(direct::addText);
    WordCounts.Summary spilled = count(sentences, 300, Integer.MAX_VALUE);
    assertThat(new WordPieceTrainer(400, 2, 2).train(spilled).tokens())
        .isEqualTo(direct.train().tokens());
  }
}
