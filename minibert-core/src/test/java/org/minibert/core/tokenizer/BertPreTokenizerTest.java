package org.minibert.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;

class BertPreTokenizerTest {

  /**
   * Korean, English, Hanja, kana, accents, Unicode and ASCII punctuation, symbols, odd white space
   * and controls.
   */
  private static final List<String> SAMPLE =
      List.of(
          "대한민국의 수도는 서울이다.",
          "한자(漢字)는 韓國語 어휘의 절반을 넘는다고 한다…",
          "「인용」과 “따옴표”, ‘작은따옴표’ — 그리고 《책 제목》·〈편명〉!",
          "Café au lait, naïve résumé; Straße & Ångström?",
          "price: $5.99 + 10% = ~6.59 (approx.) <tag> a|b ^c `d` {e} [f] @g #h \\i",
          "COVID-19 확진자가 1,234명 늘었다…오늘 오후 3:45 기준",
          "ひらがなとカタカナ、そして漢字。",
          "ｆｕｌｌ ｗｉｄｔｈ １２３ ① ㎏ ﬁne ㅋㅋㅋ ㅠㅠ",
          "tab\there\nnew line\r\nno\u00a0break\u2003em\u3000ideographic",
          "zero\u200bwidth soft\u00adhyphen bell\u0007 nul\u0000 replacement\ufffd private\ue000use"
              + " vt\u000bnel\u0085end",
          "e\u0301 composed é and 한\u0301국 with a stray mark",
          "emoji ☺ 😀 👍🏽 🥰 and math ∑ ≤ √2, unassigned x\u0378y",
          "under_score 밑줄_문자 dash–en — em - hyphen",
          "Ελληνικά, русский язык, עברית, العربية");

  @Test
  void splitsLikeTheBertPipeline() {
    assertThat(BertPreTokenizer.words("Hey friend!     How are you?!?"))
        .containsExactly("Hey", "friend", "!", "How", "are", "you", "?", "!", "?");
    assertThat(BertPreTokenizer.words("野口里佳 Noguchi"))
        .containsExactly("野", "口", "里", "佳", "Noguchi");
    assertThat(BertPreTokenizer.words("Ça coûte $5"))
        .containsExactly("C\u0327a", "cou\u0302te", "$", "5");
  }

  @Test
  void keepsTheMarksOfOtherScriptsAsCombiningCharacters() {
    // strip_accents would turn が into か and Việt into Viet; NFD keeps the mark beside its letter
    assertThat(BertPreTokenizer.words("がぎ Việt"))
        .containsExactly("か\u3099き\u3099", "Vie\u0323\u0302t");
    assertThat(Normalizer.normalize(BertPreTokenizer.words("がぎ").get(0), Normalizer.Form.NFC))
        .isEqualTo("がぎ");
  }

  @Test
  void decomposesHangulIntoConjoiningJamo() {
    List<String> words = BertPreTokenizer.words("한국어.");
    assertThat(words).containsExactly("\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165", ".");
    assertThat(Normalizer.normalize(words.get(0), Normalizer.Form.NFC)).isEqualTo("한국어");
  }

  @Test
  void cleansControlAndFormatCharactersAndWhitespace() {
    assertThat(BertPreTokenizer.normalize("a\u0000b\u200bc\u00a0d\te\u0007f\ufffdg"))
        .isEqualTo("abc d efg");
  }

  /**
   * The real contract: give the Hugging Face library a vocabulary holding exactly the words this
   * class produces, then every text must come back from the library as those very words, none
   * unknown, none split.
   */
  @Test
  void agreesWithTheHuggingFaceLibrary(@TempDir Path dir) throws Exception {
    Set<String> words = new LinkedHashSet<>(SpecialTokens.ALL);
    SAMPLE.forEach(text -> words.addAll(BertPreTokenizer.words(text)));
    Path file = dir.resolve("tokenizer.json");
    Json.write(file, TokenizerJson.of(new ArrayList<>(words)));

    try (BertTokenizer tokenizer = BertTokenizer.load(file)) {
      for (String text : SAMPLE) {
        int[] ids = tokenizer.encodeWords(text);
        List<String> tokens = IntStream.of(ids).mapToObj(tokenizer::token).toList();
        assertThat(tokens).as("words of %s", text).isEqualTo(BertPreTokenizer.words(text));
      }
    }
  }
}
