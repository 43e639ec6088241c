package org.minibert.trainer.corpus;

/** What the readers saw, for the prepare summary and dataset.json. Single-threaded use. */
public final class CorpusStats {
  /** Files read. */
  public long files;

  /** Files in an input folder that were not read because no reader knows their extension. */
  public long skippedFiles;

  /** Documents handed on (with at least one sentence). */
  public long documents;

  /** Pages skipped: redirects, other namespaces, empty after cleaning. */
  public long skippedPages;

  /** Byte sequences that were not valid UTF-8 and were replaced with U+FFFD. */
  public long replacedBytes;

  /**
   * Sentences that held a special-token string such as "[MASK]", broken apart so it reads as plain
   * text.
   */
  public long defusedSentences;
}
