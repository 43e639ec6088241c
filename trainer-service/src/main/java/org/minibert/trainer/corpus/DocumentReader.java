package org.minibert.trainer.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads one corpus file of a known format and streams its documents, one at a time, to a sink.
 * Implementations decode with {@link CountingUtf8Reader}, skip documents left without sentences and
 * count the skipped ones; {@link Corpus} counts files and documents and turns I/O failures into
 * {@link CorpusException}s.
 */
@FunctionalInterface
public interface DocumentReader {
  /**
   * Reads with the caps of {@link RecordLimits}.
   *
   * @param maxRecordChars the most characters one record (a line, an XML text, a page) may hold
   * @throws CorpusException naming the place of a record over the cap
   */
  void read(Path file, Consumer<Document> sink, CorpusStats stats, int maxRecordChars)
      throws IOException;

  /**
   * Like {@link #read(Path, Consumer, CorpusStats, int)}, but hands on each record before its
   * costly part is done, so that {@link Corpus} can run that part on other threads; {@code threads}
   * also bounds the threads that decompress the file. Readers whose records are cheap keep this
   * default: their documents are complete when handed on.
   */
  default void readPending(
      Path file, Consumer<PendingDocument> sink, CorpusStats stats, int maxRecordChars, int threads)
      throws IOException {
    read(file, document -> sink.accept(() -> document), stats, maxRecordChars);
  }

  /**
   * {@link #read(Path, Consumer, CorpusStats, int)} for a reader whose records come pending: each
   * is finished on the calling thread; one left without sentences is counted as skipped.
   */
  static void readResolvingEach(
      DocumentReader reader,
      Path file,
      Consumer<Document> sink,
      CorpusStats stats,
      int maxRecordChars)
      throws IOException {
    reader.readPending(
        file,
        pending -> {
          Document document = pending.resolve();
          if (document == null) {
            stats.skippedPages++;
          } else {
            sink.accept(document);
          }
        },
        stats,
        maxRecordChars,
        1);
  }

  /** Reads with the default cap, {@link RecordLimits#DEFAULT_MAX_RECORD_CHARS}. */
  default void read(Path file, Consumer<Document> sink, CorpusStats stats) throws IOException {
    read(file, sink, stats, RecordLimits.DEFAULT_MAX_RECORD_CHARS);
  }
}
