package org.minibert.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
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
