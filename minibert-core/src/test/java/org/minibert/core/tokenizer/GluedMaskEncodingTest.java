package org.minibert.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A word glued to a [MASK] is encoded as it reads in training text: as continuation pieces. */
class GluedMaskEncodingTest {
  @TempDir static Path dir;
  static BertTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = TinyTokenizer.write(dir);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static Object tokens(Encoded encoded) {
    return TinyTokenizer.tokens(tokenizer, encoded.ids());
  }

  @Test
  void trainingTextSplitsAWordIntoAStartAndContinuations() {
    assertThat(tokens(tokenizer.encode("대한민국의 수도는 서울이다.")))
        .isEqualTo(java.util.List.of("[CLS]", "대한민국의", "수도는", "서울", "##이다", ".", "[SEP]"));
  }

  @Test
  void aWordGluedToAMaskContinuesIt() {
    // the library alone gives [MASK] 이 ##다: a word start that training never puts after a masked
    // piece
    Encoded encoded = tokenizer.encode("대한민국의 수도는 [MASK]이다.");
    assertThat(tokens(encoded))
        .isEqualTo(java.util.List.of("[CLS]", "대한민국의", "수도는", "[MASK]", "##이다", ".", "[SEP]"));
    // offsets still point into the text: ##이다 is "이다", the mask is "[MASK]"
    assertThat(encoded.starts()).containsExactly(-1, 0, 6, 10, 16, 18, -1);
    assertThat(encoded.ends()).containsExactly(-1, 5, 9, 16, 18, 19, -1);
    assertThat(encoded.attentionMask()).containsOnly(1);
    assertThat(encoded.typeIds()).containsOnly(0);
  }

  @Test
  void aSpacePunctuationOrNothingAfterTheMaskChangesNothing() {
    assertThat(tokens(tokenizer.encode("[MASK] 이다")))
        .isEqualTo(java.util.List.of("[CLS]", "[MASK]", "이", "##다", "[SEP]"));
    assertThat(tokens(tokenizer.encode("서울 [MASK].")))
        .isEqualTo(java.util.List.of("[CLS]", "서울", "[MASK]", ".", "[SEP]"));
    assertThat(tokens(tokenizer.encode("[MASK]")))
        .isEqualTo(java.util.List.of("[CLS]", "[MASK]", "[SEP]"));
  }

  @Test
  void aGluedWordThatNoContinuationSpellsIsUnknownAsWordPieceWouldHaveIt() {
    // "대한민국의" exists only as a word start: there is no ## spelling of it
    Encoded encoded = tokenizer.encode("[MASK]대한민국의 서울");
    assertThat(tokens(encoded))
        .isEqualTo(java.util.List.of("[CLS]", "[MASK]", "[UNK]", "서울", "[SEP]"));
    assertThat(encoded.starts()[2]).isEqualTo(6);
    assertThat(encoded.ends()[2]).isEqualTo(11);
  }

  @Test
  void everyMaskOfAPairIsHandledInItsOwnText() {
    Encoded encoded = tokenizer.encodePair("[MASK]은", "한[MASK]을");
    assertThat(tokens(encoded))
        .isEqualTo(
            java.util.List.of("[CLS]", "[MASK]", "##은", "[SEP]", "한", "[MASK]", "##을", "[SEP]"));
    assertThat(encoded.typeIds()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
  }
}
