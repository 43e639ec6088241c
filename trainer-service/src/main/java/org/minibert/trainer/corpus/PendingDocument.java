package org.minibert.trainer.corpus;

/**
 * A record read from a corpus file whose costly part (wikitext cleaning, sentence splitting) is
 * still to be done; {@link Corpus} runs it on any thread, and hands the documents on in file order.
 */
@FunctionalInterface
public interface PendingDocument {
  /** The document, or null when nothing readable is left (counted as a skipped page). */
  Document resolve();
}
