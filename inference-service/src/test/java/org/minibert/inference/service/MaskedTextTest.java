package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class MaskedTextTest {

  @Test
  void fillSplicesTheDisplayedTokenAtTheMaskSpan() {
    String text = "수도는 [MASK]이다.";
    int start = text.indexOf("[MASK]");
    assertThat(MaskedText.fill(text, start, start + 6, "서울")).isEqualTo("수도는 서울이다.");
    // a continuation piece joins the text before it without the space
    assertThat(MaskedText.fill(text, start, start + 6, "##서울")).isEqualTo("수도는서울이다.");
    // decomposed jamo tokens come out composed
    String jamo = Normalizer.normalize("서울", Normalizer.Form.NFD);
    assertThat(MaskedText.fill(text, start, start + 6, jamo)).isEqualTo("수도는 서울이다.");
    // a lone final consonant (##ᆫ) merges into the syllable before it under NFC
    String t2 = "그 [MASK] 사람";
    int s2 = t2.indexOf("[MASK]");
    assertThat(MaskedText.fill("나 [MASK]", 2, 8, "##\u11ab")).isEqualTo("난");
    assertThat(MaskedText.fill(t2, s2, s2 + 6, "[UNK]")).isEqualTo("그 [UNK] 사람");
  }

  @Test
  void fillLeavesEveryOtherCharacterAsSent() {
    // not NFC, astral and control characters around the mask stay exactly as they are
    String text = "e\u0301 \uD83D\uDE00 \u1100\u1161 [MASK] \u0007가\u0301";
    int start = text.indexOf("[MASK]");
    String after = text.substring(start + 6);
    assertThat(MaskedText.fill(text, start, start + 6, "서울"))
        .isEqualTo(text.substring(0, start) + "서울" + after);
    assertThat(MaskedText.fill(text, start, start + 6, "##서울"))
        .isEqualTo(text.substring(0, start - 1) + "서울" + after);
    // a piece that composes takes only the character it composes with
    String jamo = "e\u0301 \u1100\u1161[MASK]!";
    int s = jamo.indexOf("[MASK]");
    assertThat(MaskedText.fill(jamo, s, s + 6, "##\u11ab")).isEqualTo("e\u0301 간!");
    assertThat(MaskedText.fill("e\u0301[MASK]", 2, 8, "##\u0302"))
        .isEqualTo(Normalizer.normalize("e\u0301\u0302", Normalizer.Form.NFC));
  }

  @Test
  void countsMasks() {
    assertThat(MaskedText.countMasks("no mask")).isZero();
    assertThat(MaskedText.countMasks("[MASK][MASK] a [MASK]")).isEqualTo(3);
  }
}
