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
  void displayShowsJamoThatFormNoSyllableAsTheCompatibilityJamoPeopleType() {
    // a vowel and a final consonant without a leading consonant do not form a syllable
    assertThat(BertTokenizer.display("##\u1161\u11ab")).isEqualTo("ㅏㄴ");
    assertThat(BertTokenizer.display("##\u11af")).isEqualTo("ㄹ");
    assertThat(BertTokenizer.display("\u1100\u1100")).isEqualTo("ㄱㄱ");
    assertThat(BertTokenizer.display("\u1112\u1175\u11c2")).isEqualTo("힣");
    assertThat(BertTokenizer.display("ㅋㅋ")).isEqualTo("ㅋㅋ");
  }

  @Test
  void everyModernJamoHasItsCompatibilityForm() {
    // the decomposition of a compatibility jamo (NFKD) is the conjoining jamo it stands for
    for (int c = 0x1100; c <= 0x1112; c++) {
      assertCompatibilityOf(c);
    }
    for (int c = 0x1161; c <= 0x1175; c++) {
      assertCompatibilityOf(c);
    }
    java.util.Set<String> trailing = new java.util.HashSet<>();
    for (int c = 0x11a8; c <= 0x11c2; c++) {
      assertCompatibilityOf(c);
      trailing.add(BertTokenizer.display(new String(Character.toChars(c))));
    }
    assertThat(trailing).hasSize(27);
    // a trailing consonant reads like the leading one of the same letter
    assertThat(BertTokenizer.display("\u11ab"))
        .isEqualTo(BertTokenizer.display("\u1102"))
        .isEqualTo("ㄴ");
  }

  private static void assertCompatibilityOf(int conjoining) {
    String shown = BertTokenizer.display(new String(Character.toChars(conjoining)));
    assertThat(shown).hasSize(1);
    assertThat(shown.charAt(0)).isBetween('\u3131', '\u318e');
    if (conjoining < 0x11a8) {
      // a compatibility consonant decomposes (NFKD) to the leading consonant, a compatibility vowel
      // to the vowel
      assertThat(Normalizer.normalize(shown, Normalizer.Form.NFKD))
          .isEqualTo(new String(Character.toChars(conjoining)));
    }
  }

  @Test
  void pieceTextKeepsJamoDecomposedSoTheyComposeWithTheTextBefore() {
    String filled =
        Normalizer.normalize(nfd("서우") + BertTokenizer.pieceText("##\u11af"), Normalizer.Form.NFC);
    assertThat(filled).isEqualTo("서울");
  }

  @Test
  void displayKeepsSpecialTokens() {
    assertThat(BertTokenizer.display(SpecialTokens.MASK)).isEqualTo("[MASK]");
  }
}
