package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --max-record-chars and the XML depth cap, per reader. */
class RecordLimitsTest {
  @TempDir Path dir;
  final List<Document> documents = new ArrayList<>();
  final CorpusStats stats = new CorpusStats();

  @Test
  void theLineReaderSplitsLikeBufferedReaderAndStopsAtTheCap() throws IOException {
    var lines = new RecordLimits.LineReader(new StringReader("a\r\nbb\rccc\n\nd"), dir, 3);
    List<String> read = new ArrayList<>();
    for (String l; (l = lines.readLine()) != null; ) {
      read.add(l);
    }
    assertThat(read).containsExactly("a", "bb", "ccc", "", "d");

    var tooLong = new RecordLimits.LineReader(new StringReader("ok\nfour\n"), dir, 3);
    assertThat(tooLong.readLine()).isEqualTo("ok");
    assertThatThrownBy(tooLong::readLine)
        .isInstanceOf(CorpusException.class)
        .hasMessage(
            dir
                + ":2: the line is longer than 3 characters (--max-record-chars): not read, to keep"
                + " memory bounded");
  }

  @Test
  void plainTextAndJsonLinesStopAtALineOverTheCap() throws IOException {
    Path text = Files.writeString(dir.resolve("a.txt"), "짧다.\n" + "가".repeat(101) + "\n");
    assertThatThrownBy(() -> new PlainTextReader().read(text, documents::add, stats, 100))
        .hasMessageStartingWith(text + ":2: the line is longer than 100 characters");
    Path jsonl =
        Files.writeString(dir.resolve("a.jsonl"), "{\"text\": \"" + "x".repeat(200) + "\"}\n");
    assertThatThrownBy(() -> new JsonlReader().read(jsonl, documents::add, stats, 100))
        .hasMessageStartingWith(jsonl + ":1: the line is longer than 100 characters");
    new PlainTextReader().read(text, documents::add, stats, 101); // at the cap: fine
    assertThat(documents).hasSize(1);
  }

  @Test
  void xmlStopsAtAHugeTextAndAtDeepNesting() throws IOException {
    Path huge =
        Files.writeString(
            dir.resolve("huge.xml"),
            "<mediawiki><page><title>X</title><ns>0</ns><revision><text>"
                + "가".repeat(500)
                + "</text></revision></page></mediawiki>");
    assertThatThrownBy(() -> new WikiDumpReader().read(huge, documents::add, stats, 100))
        .isInstanceOf(CorpusException.class)
        .hasMessage(
            huge
                + ": an XML text or tag is longer than 100 characters (--max-record-chars): not"
                + " read, to keep memory bounded");

    Path deep =
        Files.writeString(
            dir.resolve("deep.xml"),
            "<mediawiki>" + "<a>".repeat(200) + "</a>".repeat(200) + "</mediawiki>");
    assertThatThrownBy(() -> new WikiDumpReader().read(deep, documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageContaining("malformed XML")
        .hasMessageContaining("100")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anHtmlPageOverTheCapIsRefused() throws IOException {
    Path page = Files.writeString(dir.resolve("p.html"), "<p>" + "x".repeat(300) + ".</p>");
    assertThatThrownBy(() -> new HtmlPageReader().read(page, documents::add, stats, 100))
        .hasMessageStartingWith(page + ": the page is longer than 100 characters");
  }
}
