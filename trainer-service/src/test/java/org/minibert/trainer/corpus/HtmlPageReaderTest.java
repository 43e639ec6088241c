package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlPageReaderTest {
  @TempDir Path dir;
  private final CorpusStats stats = new CorpusStats();
  private final List<Document> documents = new ArrayList<>();

  @Test
  void aLibreOfficeHelpPageGivesItsKoreanSentencesAndNoBoilerplate()
      throws IOException, URISyntaxException {
    Path page = Path.of(getClass().getResource("/corpus/libreoffice-help-page.html").toURI());

    new HtmlPageReader().read(page, documents::add, stats);

    assertThat(documents).hasSize(1);
    Document document = documents.get(0);
    assertThat(document.title()).isEqualTo("일반");
    assertThat(document.source()).isEqualTo(page.toString());
    assertThat(document.sentences())
        .containsExactly(
            "스프레드시트 문서의 일반 설정을 지정합니다.",
            "스프레드시트의 측정 단위를 정의합니다.",
            "탭 간격도 정합니다.",
            "링크 업데이트는 항상 도구 - 옵션... - LibreOffice - 보안의 보안 설정을 따릅니다.",
            "누르는 키는 Ctrl+Enter입니다.",
            "항상 변경 내용을 저장합니다.",
            "목록 항목도 문장입니다.");
  }

  @Test
  void aPlainPageTakesItsTitleFromTheFirstHeadingWhenItHasNoTitleElement() throws IOException {
    Path page =
        Files.writeString(
            dir.resolve("page.htm"),
            "<html><body><nav><p>메뉴이다.</p></nav><h1>제목</h1><div>첫 문장이다.<p>둘째 문장이다.</p>"
                + "셋째 문장이다.<br>넷째 문장이다</div><script>var x = '다.';</script></body></html>");

    new HtmlPageReader().read(page, documents::add, stats);

    assertThat(documents)
        .containsExactly(
            new Document(page.toString(), "제목", List.of("첫 문장이다.", "둘째 문장이다.", "셋째 문장이다.")));
  }

  @Test
  void aPageWithoutProseIsSkipped() throws IOException {
    Path page =
        Files.writeString(
            dir.resolve("empty.html"),
            "<html><head><title>빈</title></head><body><p>Yes</p></body></html>");

    new HtmlPageReader().read(page, documents::add, stats);

    assertThat(documents).isEmpty();
    assertThat(stats.skippedPages).isEqualTo(1);
  }
}
