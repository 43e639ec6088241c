package org.minibert.trainer.corpus;

/**
 * A corpus that cannot be read as asked. The message is one line that starts with where the problem
 * is (a file, plus a page title or a line number), so that a user can open the file and fix it.
 */
public final class CorpusException extends RuntimeException {
  public CorpusException(String message) {
    super(message);
  }

  public CorpusException(String message, Throwable cause) {
    super(message, cause);
  }
}
