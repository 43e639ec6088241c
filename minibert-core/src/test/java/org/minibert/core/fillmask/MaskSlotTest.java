package org.minibert.core.fillmask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.core.tokenizer.TinyTokenizer;

class MaskSlotTest {
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

  private static List<MaskSlot> slots(String text) {
    return MaskSlot.find(tokenizer.encode(text), tokenizer);
  }

  @Test
  void aMaskAfterASpacePunctuationOrTheStartTakesAWordStart() {
    assertThat(slots("[MASK]이다")).containsExactly(new MaskSlot(1, false));
    assertThat(slots("수도는 [MASK]이다")).containsExactly(new MaskSlot(2, false));
    assertThat(slots("서울.[MASK]")).containsExactly(new MaskSlot(3, false));
  }

  @Test
  void aMaskGluedToTheEndOfAWordOrToAnotherMaskContinuesIt() {
    assertThat(slots("서울[MASK]")).containsExactly(new MaskSlot(2, true));
    assertThat(slots("[MASK][MASK]이다"))
        .containsExactly(new MaskSlot(1, false), new MaskSlot(2, true));
  }

  @Test
  void onlyPiecesThatCanAttachAreAccepted() {
    MaskSlot start = new MaskSlot(1, false);
    MaskSlot glued = new MaskSlot(2, true);
    int seoul = tokenizer.id(Normalizer.normalize("서울", Normalizer.Form.NFD));
    int ida = tokenizer.id(Normalizer.normalize("##이다", Normalizer.Form.NFD));
    assertThat(start.accepts(seoul, tokenizer)).isTrue();
    assertThat(start.accepts(ida, tokenizer)).isFalse();
    assertThat(glued.accepts(ida, tokenizer)).isTrue();
    assertThat(glued.accepts(seoul, tokenizer)).isFalse();
    for (int special = 0; special < SpecialTokens.ALL.size(); special++) {
      assertThat(start.accepts(special, tokenizer)).isFalse();
      assertThat(glued.accepts(special, tokenizer)).isFalse();
    }
  }

  @Test
  void topKKeepsTheBestAllowedScoresBestFirstAndTiesByLowerIndex() {
    float[] scores = {5f, 1f, 3f, 3f, 9f, 0f};
    assertThat(TopK.indices(scores, 3, i -> true)).containsExactly(4, 0, 2);
    assertThat(TopK.indices(scores, 3, i -> i != 4)).containsExactly(0, 2, 3);
    assertThat(TopK.indices(scores, 10, i -> i % 2 == 1)).containsExactly(3, 1, 5);
    assertThat(TopK.indices(scores, 0, i -> true)).isEmpty();
    int[] all = IntStream.range(0, scores.length).toArray();
    assertThat(TopK.indices(scores, 6, i -> true)).containsExactlyInAnyOrder(all);
  }
}
