package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.trainer.parallel.OrderedWork;

/**
 * The entry point for reading a corpus: files and folders in, documents out. Each file is read by
 * the reader of its {@link CorpusFormat}; folders are walked recursively in sorted path order, so
 * that the same inputs always give the same documents in the same order, and hence the same
 * pre-training data. Documents are streamed to the sink as they are read; the corpus is never held
 * in memory. Special-token strings in any reader's text are broken apart ({@link
 * SpecialTokens#defuse}) and counted.
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
    read(inputs, 1, document -> document, sink, stats, maxRecordChars);
  }

  /**
   * Reads every input on {@code threads} threads: files are parsed on the calling thread (and
   * decompressed on others), while cleaning, sentence splitting and {@code transform} run on a
   * pool. {@code sink} gets the transformed documents on the calling thread in exactly the order a
   * one-thread read gives, so its output does not depend on {@code threads}.
   *
   * @param transform work to do on the pool for each document, e.g. formatting it for a file
   */
  public static <T> void read(
      List<Path> inputs,
      int threads,
      Function<Document, T> transform,
      Consumer<T> sink,
      CorpusStats stats,
      int maxRecordChars) {
    try (OrderedWork<Resolved<T>> work =
        new OrderedWork<>(
            threads,
            "corpus",
            resolved -> {
              if (resolved == null) {
                stats.skippedPages++;
              } else {
                stats.documents++;
                stats.defusedSentences += resolved.defusedSentences();
                sink.accept(resolved.value());
              }
            })) {
      Consumer<PendingDocument> pending = record -> work.submit(() -> resolve(record, transform));
      for (Path input : inputs) {
        if (Files.isDirectory(input)) {
          readFolder(input, pending, stats, maxRecordChars, threads);
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
          readFile(input, format, pending, stats, maxRecordChars, threads);
        } else {
          throw new CorpusException("input not found: " + input);
        }
      }
      work.finish();
    }
  }

  /**
   * The bytes {@link #read} will read from {@code inputs}, as stored (compressed ones compressed):
   * the total of the progress bar. Missing inputs count 0 (read reports them).
   */
  public static long inputBytes(List<Path> inputs) {
    long total = 0;
    for (Path input : inputs) {
      try {
        if (Files.isDirectory(input)) {
          for (Path file : filesIn(input)) {
            if (CorpusFormat.of(file).isPresent()) {
              total += Files.size(file);
            }
          }
        } else if (Files.exists(input)) {
          total += Files.size(input);
        }
      } catch (IOException e) {
        // read reports it
      }
    }
    return total;
  }

  /** A document's transform and how many of its sentences were defused; null when skipped. */
  private record Resolved<T>(T value, long defusedSentences) {}

  private static <T> Resolved<T> resolve(PendingDocument record, Function<Document, T> transform) {
    Document document = record.resolve();
    if (document == null) {
      return null;
    }
    List<String> sentences = document.sentences().stream().map(SpecialTokens::defuse).toList();
    long defused = 0;
    for (int i = 0; i < sentences.size(); i++) {
      if (!sentences.get(i).equals(document.sentences().get(i))) {
        defused++;
      }
    }
    Document clean =
        defused == 0 ? document : new Document(document.source(), document.title(), sentences);
    return new Resolved<>(transform.apply(clean), defused);
  }

  private static void readFolder(
      Path folder,
      Consumer<PendingDocument> sink,
      CorpusStats stats,
      int maxRecordChars,
      int threads) {
    for (Path file : filesIn(folder)) {
      Optional<CorpusFormat> format = CorpusFormat.of(file);
      if (format.isPresent()) {
        readFile(file, format.get(), sink, stats, maxRecordChars, threads);
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
      Consumer<PendingDocument> sink,
      CorpusStats stats,
      int maxRecordChars,
      int threads) {
    stats.files++;
    try {
      format.reader().readPending(file, sink, stats, maxRecordChars, threads);
    } catch (IOException e) {
      throw new CorpusException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
