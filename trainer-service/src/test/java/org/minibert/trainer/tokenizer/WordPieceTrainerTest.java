package org.minibert.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minibert.core.tokenizer.BertPreTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;

class WordPieceTrainerTest {

  @Test
  void sameCorpusGivesTheSameVocabulary() {
    List<String> corpus = KoreanSamples.training();
    Vocabulary first = KoreanSamples.trainerFor(corpus, 800).train();
    Vocabulary second = KoreanSamples.trainerFor(corpus, 800).train();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void orderOfTheTextsDoesNotMatter() {
    List<String> reversed = new ArrayList<>(KoreanSamples.training());
    Collections.reverse(reversed);
    assertThat(KoreanSamples.trainerFor(reversed, 800).train())
        .isEqualTo(KoreanSamples.trainerFor(KoreanSamples.training(), 800).train());
  }

  @Test
  void vocabularyHasExactlyTheRequestedSizeWithSpecialTokensFirst() {
    Vocabulary vocabulary = KoreanSamples.trainerFor(KoreanSamples.training(), 800).train();
    assertThat(vocabulary.size()).isEqualTo(800);
    assertThat(vocabulary.tokens().subList(0, 5))
        .containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    assertThat(vocabulary.tokens().indexOf(SpecialTokens.MASK)).isEqualTo(SpecialTokens.MASK_ID);
  }

  @Test
  void everyModernJamoIsInTheVocabularyWhateverTheCorpus() {
    WordPieceTrainer trainer = new WordPieceTrainer(200, 1, 1);
    trainer.addText("hello world");
    List<String> tokens = trainer.train().tokens();
    assertThat(tokens)
        .contains("\u1100", "\u1112", "##\u1100", "##\u1161", "##\u1175", "##\u11a8", "##\u11c2");
    assertThat(tokens)
        .doesNotContain("\u1161", "\u11a8"); // vowels and finals never start a decomposed word
  }

  @Test
  void mergesTheMostFrequentPairFirst() {
    // the Hugging Face course example: ##u ##g (20) beats ##u ##n (16), then h ##ug (15)
    WordPieceTrainer trainer = new WordPieceTrainer(5 + 188 + 7 + 3, 1, 1);
    trainer.addText(
        "hug ".repeat(10)
            + "pug ".repeat(5)
            + "pun ".repeat(12)
            + "bun ".repeat(4)
            + "hugs ".repeat(5));
    List<String> tokens = trainer.train().tokens();
    assertThat(tokens).contains("b", "h", "p", "##u", "##g", "##n", "##s");
    assertThat(tokens.subList(tokens.size() - 3, tokens.size()))
        .containsExactly("##ug", "##un", "hug");
  }

  @Test
  void likelihoodPrefersPairsWhosePartsOccurOnlyTogether() {
    // a ##b, a ##c and d ##b occur 6 times each, x ##y 3 times but x and ##y never apart:
    // score(x ##y) = 3 / sqrt(3 x 3) = 1 beats score(a ##c) = 6 / sqrt(12 x 6) = 0.71 and
    // score(a ##b) = 6 / sqrt(12 x 12) = 0.5, where frequency takes a ##b (the smallest of the 6s)
    String corpus = "xy ".repeat(3) + "ab ".repeat(6) + "ac ".repeat(6) + "db ".repeat(6);
    int oneMerge = 5 + 188 + 6 + 1;
    assertThat(lastToken(corpus, oneMerge, WordPieceTrainer.MergeScore.FREQUENCY)).isEqualTo("ab");
    assertThat(lastToken(corpus, oneMerge, WordPieceTrainer.MergeScore.LIKELIHOOD)).isEqualTo("xy");
    // then a ##c (0.71, tied with d ##b: a < d), which leaves a with 6: a ##b = 6 / sqrt(6 x 12)
    List<String> three =
        trainer(corpus, oneMerge + 2, WordPieceTrainer.MergeScore.LIKELIHOOD).train().tokens();
    assertThat(three.subList(three.size() - 3, three.size())).containsExactly("xy", "ac", "ab");
  }

  @ParameterizedTest
  @EnumSource(WordPieceTrainer.MergeScore.class)
  void mergesAsALoopThatRecountsEveryPairAtEveryStep(WordPieceTrainer.MergeScore score) {
    List<String> corpus = KoreanSamples.training();
    List<String> expected = recountingEveryStep(corpus, 300, score);
    WordPieceTrainer trainer = new WordPieceTrainer(expected.size(), 1, 1, score);
    corpus.forEach(trainer::addText);

    assertThat(trainer.train().tokens()).containsExactlyElementsOf(expected);
  }

  /**
   * The merge loop written the slow, obvious way: all pair and symbol counts recounted before each
   * of {@code merges} merges, the best pair by a scan (ties to the smallest left, then right).
   */
  private static List<String> recountingEveryStep(
      List<String> texts, int merges, WordPieceTrainer.MergeScore score) {
    Map<String, Long> wordCounts = new TreeMap<>();
    texts.forEach(t -> BertPreTokenizer.words(t).forEach(w -> wordCounts.merge(w, 1L, Long::sum)));
    int jamo = 188;
    Set<String> alphabet =
        new TreeSet<>(
            new WordPieceTrainer(SpecialTokens.ALL.size() + jamo, 1, 1)
                .train()
                .tokens()
                .subList(SpecialTokens.ALL.size(), SpecialTokens.ALL.size() + jamo));
    List<List<String>> words = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    wordCounts.forEach(
        (word, count) -> {
          int[] chars = word.codePoints().toArray();
          List<String> symbols = new ArrayList<>();
          for (int i = 0; i < chars.length; i++) {
            symbols.add((i == 0 ? "" : SpecialTokens.CONTINUATION) + Character.toString(chars[i]));
          }
          alphabet.addAll(symbols);
          words.add(symbols);
          counts.add(count);
        });
    List<String> tokens = new ArrayList<>(SpecialTokens.ALL);
    tokens.addAll(alphabet);
    int size = tokens.size() + merges;
    Comparator<List<String>> smallest =
        Comparator.comparing((List<String> pair) -> pair.get(0)).thenComparing(pair -> pair.get(1));
    while (tokens.size() < size) {
      Map<String, Long> symbolCounts = new HashMap<>();
      Map<List<String>, Long> pairCounts = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> symbols = words.get(w);
        for (int i = 0; i < symbols.size(); i++) {
          symbolCounts.merge(symbols.get(i), counts.get(w), Long::sum);
          if (i + 1 < symbols.size()) {
            pairCounts.merge(List.of(symbols.get(i), symbols.get(i + 1)), counts.get(w), Long::sum);
          }
        }
      }
      List<String> best = null;
      double bestScore = 0;
      for (Map.Entry<List<String>, Long> e : pairCounts.entrySet()) {
        List<String> pair = e.getKey();
        double value =
            score == WordPieceTrainer.MergeScore.FREQUENCY
                ? e.getValue()
                : e.getValue()
                    / Math.sqrt(
                        (double) symbolCounts.get(pair.get(0)) * symbolCounts.get(pair.get(1)));
        if (best == null
            || value > bestScore
            || (value == bestScore && smallest.compare(pair, best) < 0)) {
          best = pair;
          bestScore = value;
        }
      }
      if (best == null) {
        break;
      }
      String merged = best.get(0) + best.get(1).substring(SpecialTokens.CONTINUATION.length());
      if (!tokens.contains(merged)) {
        tokens.add(merged);
      }
      for (List<String> symbols : words) {
        for (int i = 0; i + 1 < symbols.size(); i++) {
          if (symbols.get(i).equals(best.get(0)) && symbols.get(i + 1).equals(best.get(1))) {
            symbols.set(i, merged);
            symbols.remove(i + 1);
          }
        }
      }
    }
    return tokens;
  }

  private static WordPieceTrainer trainer(
      String corpus, int size, WordPieceTrainer.MergeScore score) {
    WordPieceTrainer trainer = new WordPieceTrainer(size, 1, 1, score);
    trainer.addText(corpus);
    return trainer;
  }

  private static String lastToken(String corpus, int size, WordPieceTrainer.MergeScore score) {
    List<String> tokens = trainer(corpus, size, score).train().tokens();
    return tokens.get(tokens.size() - 1);
  }

  @Test
  void breaksTiesLexicographically() {
    WordPieceTrainer trainer = new WordPieceTrainer(5 + 188 + 4 + 1, 1, 1);
    trainer.addText("yz ab");
    List<String> tokens = trainer.train().tokens();
    assertThat(tokens.get(tokens.size() - 1)).isEqualTo("ab");
  }

  @Test
  void rareCharactersStayOutOfTheAlphabetButJamoDoNot() {
    WordPieceTrainer trainer = new WordPieceTrainer(300, 3, 1);
    trainer.addText("aaa aaa aaa x \u1113");
    List<String> tokens = trainer.train().tokens();
    assertThat(tokens).contains("a", "##a", "\u1113").doesNotContain("x");
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    WordPieceTrainer trainer = new WordPieceTrainer(8000, 1, 2);
    trainer.addText("ab ab cd");
    List<String> tokens = trainer.train().tokens();
    assertThat(tokens).contains("ab").doesNotContain("cd");
  }

  @Test
  void rejectsAVocabularyTooSmallForSpecialTokensAndJamo() {
    assertThatThrownBy(() -> new WordPieceTrainer(90, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("vocabulary size 90 is too small: ")
        .hasMessageContaining("at least 193");
  }
}
