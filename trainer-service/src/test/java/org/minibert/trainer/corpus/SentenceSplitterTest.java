package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
  private final SentenceSplitter splitter = new SentenceSplitter();

  @Test
  void splitsAfterTheUsualKoreanEndings() {
    assertThat(splitter.split("서울은 수도이다. 정말 그래요. 왜 그럴까? 그렇죠. 감사합니다. 좋아!"))
        .containsExactly("서울은 수도이다.", "정말 그래요.", "왜 그럴까?", "그렇죠.", "감사합니다.", "좋아!");
  }

  @Test
  void splitsAfterRunsOfTerminatorsAndEllipses() {
    assertThat(splitter.split("정말?! 그렇구나... 음… 알겠다。 끝"))
        .containsExactly("정말?!", "그렇구나...", "음…", "알겠다。", "끝");
  }

  @Test
  void keepsAQuotationFollowedByAParticleInsideTheSentence() {
    assertThat(splitter.split("그는 \"안녕.\"이라고 말했다. 그녀는 \"그렇다.\"라고 답했다."))
        .containsExactly("그는 \"안녕.\"이라고 말했다.", "그녀는 \"그렇다.\"라고 답했다.");
  }

  @Test
  void splitsAfterAClosingQuoteOrBracketFollowedBySpace() {
    assertThat(splitter.split("그가 말했다. “가자.” 우리는 갔다. 「끝.」 He said \"Stop.\" Then he left."))
        .containsExactly(
            "그가 말했다.", "“가자.”", "우리는 갔다.", "「끝.」", "He said \"Stop.\"", "Then he left.");
  }

  @Test
  void doesNotSplitInsideNumbers() {
    assertThat(splitter.split("원주율은 3.14이고 인구는 1,000.5만 명이다. 버전 2.0.1도 있다."))
        .containsExactly("원주율은 3.14이고 인구는 1,000.5만 명이다.", "버전 2.0.1도 있다.");
  }

  @Test
  void doesNotSplitAfterAbbreviationsAndInitials() {
    assertThat(
            splitter.split(
                "Mr. Kim met Dr. Lee in the U.S. on Monday. Apples, pears, etc. are fruit."))
        .containsExactly(
            "Mr. Kim met Dr. Lee in the U.S. on Monday.", "Apples, pears, etc. are fruit.");
    assertThat(splitter.split("J. R. R. Tolkien wrote it, e.g. The Hobbit. 톨킨은 작가이다."))
        .containsExactly("J. R. R. Tolkien wrote it, e.g. The Hobbit.", "톨킨은 작가이다.");
    assertThat(splitter.split("See No. 5 and Fig. 3 vs. Fig. 4. Done."))
        .containsExactly("See No. 5 and Fig. 3 vs. Fig. 4.", "Done.");
  }

  @Test
  void doesNotSplitBeforeAWordThatContinuesTheSentence() {
    assertThat(
            splitter.split("Calc reports a #NAME? error. Choose Tools - Options... - Security. 끝."))
        .containsExactly(
            "Calc reports a #NAME? error.", "Choose Tools - Options... - Security.", "끝.");
  }

  @Test
  void doesNotSplitInsideParentheses() {
    assertThat(splitter.split("그는 왕이 되었다(재위 1392. 7. 17. ~ 1398. 9. 5.). 다음 왕은 정종이다."))
        .containsExactly("그는 왕이 되었다(재위 1392. 7. 17. ~ 1398. 9. 5.).", "다음 왕은 정종이다.");
  }

  @Test
  void anUnclosedParenthesisDoesNotStopSplitting() {
    assertThat(splitter.split("1) 첫째이다. (괄호가 열렸다. 둘째이다."))
        .containsExactly("1) 첫째이다.", "(괄호가 열렸다.", "둘째이다.");
  }

  @Test
  void trimsAndDropsFragmentsWithoutLetters() {
    assertThat(splitter.split("  1. 개요  ")).containsExactly("개요");
    assertThat(splitter.split("... !!! 123.")).isEmpty();
    assertThat(splitter.split("   ")).isEmpty();
  }

  @Test
  void splitsEachLineOfATextAsAParagraph() {
    assertThat(splitter.splitParagraphs("첫 문단이다. 둘째 문장이다\n둘째 문단이다.\n\n"))
        .containsExactly("첫 문단이다.", "둘째 문장이다", "둘째 문단이다.");
  }
}
