package org.minibert.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class BertTokenizerTest {

  private static String nfd(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD);
  }

  @Test
  void displayComposesJamoBackIntoSyllables() {
    assertThat(nfd("한국")).hasSize(6);
    assertThat(BertTokenizer.display(nfd("한국"))).isEqualTo("한국");
  }

  @Test
  void displayDropsTheContinuationPrefix() {
    assertThat(BertTokenizer.display("##" + nfd("어요"))).isEqualTo("어요");
    assertThat(BertTokenizer.display("##ing")).isEqualTo("ing");
  }

  @Test
  void displayLeavesPiecesThatAreNoSyllableAsJamo() {
    // a vowel and a final consonant without a leading consonant do not form a syllable
    assertThat(BertTokenizer.display("##\u1161\u11ab")).isEqualTo("\u1161\u11ab");
  }

  @Test
  void displayKeepsSpecialTokens() {
    assertThat(BertTokenizer.display(SpecialTokens.MASK)).isEqualTo("[MASK]");
  }
}
