package org.minibert.trainer.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir Path dir;
  private final CorpusStats stats = new CorpusStats();
  private final List<Document> documents = new ArrayList<>();

  @Test
  void walksFoldersRecursivelyInSortedOrderAndSkipsUnknownFiles() throws IOException {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    Files.createDirectories(corpus.resolve("b/nested"));
    Files.writeString(corpus.resolve("b/nested/c.jsonl"), "{\"text\": \"셋째.\"}\n");
    Files.writeString(corpus.resolve("c.HTML"), "<p>넷째.</p>");
    Files.writeString(corpus.resolve("a.txt"), "첫째.\n\n둘째.\n");
    Files.writeString(corpus.resolve("README.md"), "# 읽지 않는다.");
    Files.writeString(corpus.resolve("b/image.png"), "png");

    Corpus.read(List.of(corpus), documents::add, stats);

    assertThat(documents)
        .flatExtracting(Document::sentences)
        .containsExactly("첫째.", "둘째.", "셋째.", "넷째.");
    assertThat(stats.files).isEqualTo(3);
    assertThat(stats.skippedFiles).isEqualTo(2);
    assertThat(stats.documents).isEqualTo(4);
  }

  @Test
  void readsInputsInTheOrderGiven() throws IOException {
    Path b = Files.writeString(dir.resolve("b.txt"), "나.\n");
    Path a = Files.writeString(dir.resolve("a.txt"), "가.\n");

    Corpus.read(List.of(b, a), documents::add, stats);

    assertThat(documents).flatExtracting(Document::sentences).containsExactly("나.", "가.");
  }

  @Test
  void specialTokenStringsInTheTextAreBrokenApartSoTheyReadAsPlainText() throws IOException {
    Path text =
        Files.writeString(
            dir.resolve("a.txt"), "빈칸은 [MASK]로 적는다.\n[CLS]와 [SEP]는 토큰이다.\n보통 [문장]이다.\n");

    Corpus.read(List.of(text), documents::add, stats);

    assertThat(documents)
        .flatExtracting(Document::sentences)
        .containsExactly("빈칸은 [ MASK ]로 적는다.", "[ CLS ]와 [ SEP ]는 토큰이다.", "보통 [문장]이다.");
    assertThat(stats.defusedSentences).isEqualTo(2);
  }

  @Test
  void aMissingInputIsAnError() {
    Path missing = dir.resolve("nowhere.txt");

    assertThatThrownBy(() -> Corpus.read(List.of(missing), documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessage("input not found: " + missing);
  }

  @Test
  void aFileOfUnknownFormatGivenByNameIsAnError() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.md"), "문장이다.");

    assertThatThrownBy(() -> Corpus.read(List.of(file), documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageStartingWith(
            file + ": unknown corpus format (expected .xml, .xml.bz2, .bz2, .txt, .jsonl");
  }

  @Test
  void anUnreadableFileIsAnErrorThatNamesIt() throws IOException {
    Path notBzip2 = Files.writeString(dir.resolve("dump.xml.bz2"), "not bzip2");

    assertThatThrownBy(() -> Corpus.read(List.of(notBzip2), documents::add, stats))
        .isInstanceOf(CorpusException.class)
        .hasMessageStartingWith(notBzip2 + ": ");
  }

  @Test
  void knowsTheFormatOfAFileByItsName() {
    assertThat(CorpusFormat.of(Path.of("kowiki-latest-pages-articles-multistream.xml.bz2")))
        .contains(CorpusFormat.WIKI_DUMP);
    assertThat(CorpusFormat.of(Path.of("dump.xml"))).contains(CorpusFormat.WIKI_DUMP);
    assertThat(CorpusFormat.of(Path.of("bert.txt"))).contains(CorpusFormat.PLAIN_TEXT);
    assertThat(CorpusFormat.of(Path.of("news.jsonl"))).contains(CorpusFormat.JSONL);
    assertThat(CorpusFormat.of(Path.of("help/page.htm"))).contains(CorpusFormat.HTML);
    assertThat(CorpusFormat.of(Path.of("data.json"))).isEmpty();
  }
}
