package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingUtf8ReaderTest {
  private final CorpusStats stats = new CorpusStats();

  @Test
  void replacesAndCountsEachMalformedSequence() throws IOException {
    byte[] bytes =
        concat(
            utf8("가"),
            new byte[] {(byte) 0xFF},
            utf8("나"),
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            utf8("다"));

    assertThat(decode(bytes)).isEqualTo("가\uFFFD나\uFFFD\uFFFD다");
    assertThat(stats.replacedBytes).isEqualTo(3);
  }

  @Test
  void aSequenceCutOffAtTheEndIsReplacedToo() throws IOException {
    byte[] end = utf8("끝");

    assertThat(decode(concat(utf8("가"), new byte[] {end[0], end[1]}))).isEqualTo("가\uFFFD");
    assertThat(stats.replacedBytes).isEqualTo(1);
  }

  @Test
  void decodesCharactersSplitAcrossBufferRefills() throws IOException {
    String text = "한국어 문장이다. ".repeat(5_000);

    assertThat(decode(utf8(text))).isEqualTo(text);
    assertThat(stats.replacedBytes).isZero();
  }

  @Test
  void dropsALeadingByteOrderMark() throws IOException {
    assertThat(decode(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("가\uFEFF"))))
        .isEqualTo("가\uFEFF");
    assertThat(decode(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})).isEmpty();
  }

  @Test
  void everyReaderCountsReplacedBytes(@TempDir Path dir) throws IOException {
    byte[] bad = {(byte) 0xFF};
    Files.write(dir.resolve("a.txt"), concat(utf8("하나"), bad, utf8(".\n")));
    Files.write(dir.resolve("b.jsonl"), concat(utf8("{\"text\": \"둘"), bad, utf8(".\"}")));
    Files.write(dir.resolve("c.html"), concat(utf8("<p>셋"), bad, utf8(".</p>")));
    Files.write(
        dir.resolve("d.xml"),
        concat(
            utf8("<mediawiki><page><title>넷</title><ns>0</ns><text>넷"),
            bad,
            utf8(".</text></page></mediawiki>")));
    List<Document> documents = new ArrayList<>();

    Corpus.read(List.of(dir), documents::add, stats);

    assertThat(documents)
        .flatExtracting(Document::sentences)
        .containsExactly("하나\uFFFD.", "둘\uFFFD.", "셋\uFFFD.", "넷\uFFFD.");
    assertThat(stats.replacedBytes).isEqualTo(4);
  }

  private String decode(byte[] bytes) throws IOException {
    try (Reader reader = new CountingUtf8Reader(new ByteArrayInputStream(bytes), stats)) {
      StringWriter out = new StringWriter();
      reader.transferTo(out);
      return out.toString();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
