package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * The entry point for reading a corpus: files and folders in, documents out. Each file is read by
 * the reader of its {@link CorpusFormat}; folders are walked recursively in sorted path order, so
 * that the same inputs always give the same documents in the same order, and hence the same
 * pre-training data. Documents are streamed to the sink as they are read; the corpus is never held
 * in memory.
 */
public final class Corpus {
  private Corpus() {}

  /**
   * Reads every input, in the order given, and counts what it saw into {@code stats}.
   *
   * @param inputs corpus files, or folders whose files of known formats are read (others are
   *     skipped and counted)
   * @throws CorpusException when an input is missing, a file named explicitly has an unknown
   *     format, a file cannot be read or is malformed
   */
  public static void read(List<Path> inputs, Consumer<Document> sink, CorpusStats stats) {
    read(inputs, sink, stats, RecordLimits.DEFAULT_MAX_RECORD_CHARS);
  }

  /** Like {@link #read(List, Consumer, CorpusStats)}, with a cap on each record's characters. */
  public static void read(
      List<Path> inputs, Consumer<Document> sink, CorpusStats stats, int maxRecordChars) {
    Consumer<Document> counting =
        document -> {
          stats.documents++;
          sink.accept(defuseSpecialTokens(document, stats));
        };
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        readFolder(input, counting, stats, maxRecordChars);
      } else if (Files.exists(input)) {
        CorpusFormat format =
            CorpusFormat.of(input)
                .orElseThrow(
                    () ->
                        new CorpusException(
                            input
                                + ": unknown corpus format (expected "
                                + CorpusFormat.knownExtensions()
                                + ")"));
        readFile(input, format, counting, stats, maxRecordChars);
      } else {
        throw new CorpusException("input not found: " + input);
      }
    }
  }

  /**
   * Every reader's text passes here: special-token strings in it are broken apart ({@link
   * SpecialTokens#defuse}).
   */
  private static Document defuseSpecialTokens(Document document, CorpusStats stats) {
    List<String> sentences = document.sentences().stream().map(SpecialTokens::defuse).toList();
    long defused = 0;
    for (int i = 0; i < sentences.size(); i++) {
      if (!sentences.get(i).equals(document.sentences().get(i))) {
        defused++;
      }
    }
    stats.defusedSentences += defused;
    return defused == 0 ? document : new Document(document.source(), document.title(), sentences);
  }

  private static void readFolder(
      Path folder, Consumer<Document> sink, CorpusStats stats, int maxRecordChars) {
    for (Path file : filesIn(folder)) {
      Optional<CorpusFormat> format = CorpusFormat.of(file);
      if (format.isPresent()) {
        readFile(file, format.get(), sink, stats, maxRecordChars);
      } else {
        stats.skippedFiles++;
      }
    }
  }

  private static List<Path> filesIn(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new CorpusException(folder + ": cannot list folder: " + e.getMessage(), e);
    }
  }

  private static void readFile(
      Path file,
      CorpusFormat format,
      Consumer<Document> sink,
      CorpusStats stats,
      int maxRecordChars) {
    stats.files++;
    try {
      format.reader().read(file, sink, stats, maxRecordChars);
    } catch (IOException e) {
      throw new CorpusException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
