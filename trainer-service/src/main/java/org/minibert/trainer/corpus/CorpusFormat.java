package org.minibert.trainer.corpus;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The corpus formats this project reads, told apart by file name, each with its reader. */
public enum CorpusFormat {
  WIKI_DUMP(new WikiDumpReader(), ".xml", ".xml.bz2", ".bz2"),
  PLAIN_TEXT(new PlainTextReader(), ".txt"),
  JSONL(new JsonlReader(), ".jsonl"),
  HTML(new HtmlPageReader(), ".html", ".htm");

  private final DocumentReader reader;
  private final List<String> extensions;

  CorpusFormat(DocumentReader reader, String... extensions) {
    this.reader = reader;
    this.extensions = List.of(extensions);
  }

  public DocumentReader reader() {
    return reader;
  }

  /** The format of a file by the end of its name, ignoring case; empty when no reader knows it. */
  public static Optional<CorpusFormat> of(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(format -> format.extensions.stream().anyMatch(name::endsWith))
        .findFirst();
  }

  /** Every known extension, for messages. */
  static String knownExtensions() {
    return String.join(
        ", ", Arrays.stream(values()).flatMap(format -> format.extensions.stream()).toList());
  }
}
