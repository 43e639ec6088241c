package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WikitextCleanerTest {
  private final WikitextCleaner cleaner = new WikitextCleaner();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          template               ¦ 서울은{{lang|en|Seoul}} 수도이다.                        ¦ 서울은 수도이다.
          nested templates       ¦ 가{{a|{{b|{{c}}}}|d}}나                             ¦ 가나
          template parameter     ¦ 가{{a|{{{1|x}}}}}나                                 ¦ 가나
          ref with content       ¦ 사실이다.<ref name="a">{{cite|x}} 출처</ref> 다음.        ¦ 사실이다. 다음.
          self-closing ref       ¦ 사실이다.<ref name=x /> 다음.                           ¦ 사실이다. 다음.
          upper-case ref         ¦ 가<REF>주석</REF>나                                   ¦ 가나
          math                   ¦ 식 <math>x^2</math>이다.                             ¦ 식 이다.
          inline tags keep text  ¦ <b>굵은</b> <span style="x">글</span>과 x<sup>2</sup> ¦ 굵은 글과 x2
          br                     ¦ 첫째<br/>둘째                                         ¦ 첫째 둘째
          comment                ¦ 가<!-- 숨김 [[링크]] -->나                              ¦ 가나
          link                   ¦ [[대한민국]]의 수도                                      ¦ 대한민국의 수도
          link label             ¦ [[대한민국|한국]]의 수도                                   ¦ 한국의 수도
          link trail             ¦ many [[apple]]s here                              ¦ many apples here
          visible category link  ¦ [[:분류:도시]] 참고                                     ¦ 분류:도시 참고
          file with nested links ¦ 가[[파일:Seoul.jpg|thumb|[[서울]]의 [[야경|밤]] 모습]]나      ¦ 가나
          english file           ¦ 가[[File:A.png|[[B]]]]나                            ¦ 가나
          image                  ¦ 가[[Image:A.png]][[그림:B.png|설명]]나                  ¦ 가나
          category               ¦ 가[[분류:서울]][[Category:Cities|*]]나                  ¦ 가나
          interlanguage          ¦ 가[[en:Seoul]][[zh-yue:首爾]]나                       ¦ 가나
          external link          ¦ [https://example.org 예시 사이트]를 보라                  ¦ 예시 사이트를 보라
          bare external link     ¦ 출처[https://example.org]이다                         ¦ 출처이다
          bare url               ¦ 주소는 https://example.org/a?b=c 이다                  ¦ 주소는 이다
          bold and italic        ¦ '''굵게''' ''기울여'' '''''둘다'''''                     ¦ 굵게 기울여 둘다
          apostrophe kept        ¦ it's                                              ¦ it's
          magic word             ¦ __TOC__가__목차숨김__나                                 ¦ 가나
          entities               ¦ A&nbsp;&amp;&nbsp;B &lt;ref&gt; &#44032;          ¦ A & B <ref> 가
          whitespace             ¦ `  가   나\t다  `                                    ¦ 가 나 다
          unclosed template      ¦ 가{{틀                                              ¦ 가틀
          less-than is text      ¦ 1 < 2 and a<b                                     ¦ 1 < 2 and a<b
          template leftovers     ¦ '''서울'''({{lang|en|Seoul}}, {{IPA|sʌ.ul}})은 도시이다. ¦ 서울은 도시이다.
          separator leftovers    ¦ 가(歌; {{틀}}, 노래)이다.                                ¦ 가(歌, 노래)이다.
          """)
  void removesMarkupFromOneLine(String construct, String wikitext, String expected) {
    assertThat(cleaner.clean(wikitext)).isEqualTo(expected);
  }

  @Test
  void dropsTablesIncludingNestedOnes() {
    String wikitext =
        """
        앞 문단.
        {| class="wikitable"
        |-
        | 셀 {{틀}}
        |
          {|
          | 안쪽 표
          |}
        | 다른 셀
        |}
        뒤 문단.
        """;
    assertThat(cleaner.clean(wikitext)).isEqualTo("앞 문단.\n뒤 문단.");
  }

  @Test
  void dropsHeadingsAndStripsListMarkup() {
    String wikitext =
        """
        == 역사 ==
        첫 문단.

        === 고대 ===
        * 항목 하나
        ## 번호 둘
        : 들여쓰기
        ; 용어 : 정의
        """;
    assertThat(cleaner.clean(wikitext)).isEqualTo("첫 문단.\n항목 하나\n번호 둘\n들여쓰기\n용어 : 정의");
  }

  @Test
  void dropsMultiLineTemplatesAndRefsAcrossLines() {
    String wikitext =
        """
        {{정보상자 도시
        | 이름 = 서울
        | 인구 = {{formatnum:9668465}}
        }}
        '''서울특별시'''는 [[대한민국]]의 수도이다.<ref>
        {{웹 인용|url=http://x}}
        </ref> 한강이 흐른다.
        [[분류:서울]]
        """;
    assertThat(cleaner.clean(wikitext)).isEqualTo("서울특별시는 대한민국의 수도이다. 한강이 흐른다.");
  }

  @Test
  void dropsGalleriesAndCodeBlocks() {
    String wikitext =
        "가<gallery>\nA.jpg|사진\n</gallery>나<syntaxhighlight lang=\"java\">x();</syntaxhighlight>다";
    assertThat(cleaner.clean(wikitext)).isEqualTo("가나다");
  }

  @Test
  @Timeout(10) // a quadratic scan of this 3 MB page would take hours
  void cleansALargePageInOnePass() {
    String paragraph = "'''가'''는 [[나|다]]이다.{{틀|{{안}}}}<ref>주</ref> [http://x 라] 마.\n";
    String cleaned = cleaner.clean(paragraph.repeat(50_000));
    assertThat(cleaned.lines()).hasSize(50_000).allMatch("가는 다이다. 라 마."::equals);
  }
}
