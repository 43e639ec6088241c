/**
 * Corpus readers: MediaWiki dumps, BERT-style plain text, JSON Lines and HTML pages in; {@link
 * org.minibert.trainer.corpus.Document}s of clean sentences out, streamed one at a time. Start at
 * {@link org.minibert.trainer.corpus.Corpus}.
 */
package org.minibert.trainer.corpus;
