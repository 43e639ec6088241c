package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiDumpReaderTest {
  private static final String DUMP =
      """
      <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" xml:lang="ko">
        <siteinfo>
          <sitename>위키백과</sitename>
          <namespaces><namespace key="0" case="first-letter" /></namespaces>
        </siteinfo>
        <page>
          <title>서울특별시</title>
          <ns>0</ns>
          <id>1</id>
          <revision><id>10</id><text bytes="99" xml:space="preserve">{{정보상자}}
      '''서울특별시'''는 [[대한민국]]의 수도이다. 한강이 흐른다.&lt;ref&gt;출처&lt;/ref&gt;
      == 역사 ==
      조선의 수도였다.</text></revision>
        </page>
        <page>
          <title>틀:정보상자</title>
          <ns>10</ns>
          <revision><text>틀 문서이다.</text></revision>
        </page>
        <page>
          <title>서울</title>
          <ns>0</ns>
          <redirect title="서울특별시" />
          <revision><text>#넘겨주기 [[서울특별시]]</text></revision>
        </page>
        <page>
          <title>Seoul</title>
          <ns>0</ns>
          <revision><text>#REDIRECT [[서울특별시]]</text></revision>
        </page>
        <page>
          <title>빈 문서</title>
          <ns>0</ns>
          <revision><text>{{삭제 신청}}[[분류:삭제]]</text></revision>
        </page>
        <page>
          <title>부산광역시</title>
          <ns>0</ns>
          <revision><text>'''부산'''은 항구 도시이다.</text></revision>
        </page>
      </mediawiki>
      """;

  @TempDir Path dir;
  private final CorpusStats stats = new CorpusStats();
  private final List<Document> documents = new ArrayList<>();

  @Test
  void readsArticlesAndSkipsOtherNamespacesRedirectsAndEmptyPages() throws IOException {
    Path dump = Files.writeString(dir.resolve("kowiki.xml"), DUMP);

    new WikiDumpReader().read(dump, documents::add, stats);

    assertThat(documents)
        .containsExactly(
            new Document(
                dump + " [[서울특별시]]",
                "서울특별시",
                List.of("서울특별시는 대한민국의 수도이다.", "한강이 흐른다.", "조선의 수도였다.")),
            new Document(dump + " [[부산광역시]]", "부산광역시", List.of("부산은 항구 도시이다.")));
    assertThat(stats.skippedPages).isEqualTo(4);
  }

  @Test
  void readsABzip2DumpOfSeveralConcatenatedStreamsLikeTheMultistreamDumps() throws IOException {
    int split = DUMP.indexOf("<page>", DUMP.indexOf("</page>"));
    Path dump = dir.resolve("kowiki-multistream.xml.bz2");
    try (OutputStream out = Files.newOutputStream(dump)) {
      out.write(bzip2(DUMP.substring(0, split)));
      out.write(bzip2(DUMP.substring(split)));
    }

    new WikiDumpReader().read(dump, documents::add, stats);

    assertThat(documents).extracting(Document::title).containsExactly("서울특별시", "부산광역시");
  }

  @Test
  void aMalformedDumpNamesTheFileTheLastPageAndTheLine() throws IOException {
    String truncated =
        DUMP.substring(0, DUMP.indexOf("<title>부산광역시")) + "<title>부산광역시</title><ns>0</ns></pag>";
    Path dump = Files.writeString(dir.resolve("broken.xml"), truncated);

    assertThatThrownBy(() -> new WikiDumpReader().read(dump, documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageStartingWith(
            dump + " [[부산광역시]] line " + truncated.lines().count() + ": malformed XML: ")
        .hasMessageNotContaining("\n");
    assertThat(documents).extracting(Document::title).containsExactly("서울특별시");
  }

  @Test
  void refusesExternalEntities() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "비밀이다.");
    String dump =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE mediawiki [<!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\">]>\n"
            + "<mediawiki><page><title>X</title><ns>0</ns><revision><text>&xxe;</text></revision></page></mediawiki>";
    Path file = Files.writeString(dir.resolve("xxe.xml"), dump);

    assertThatThrownBy(() -> new WikiDumpReader().read(file, documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageContaining("[[X]]");
    assertThat(documents).isEmpty();
  }

  private static byte[] bzip2(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new BZip2CompressorOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
