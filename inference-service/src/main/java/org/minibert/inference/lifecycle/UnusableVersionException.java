package org.minibert.inference.lifecycle;

/**
 * A version whose verified files do not make a working model (the graph does not load, its
 * vocabulary does not match the tokenizer, the warm-up fails): loading it again will not help.
 */
class UnusableVersionException extends Exception {
  UnusableVersionException(String message, Throwable cause) {
    super(message, cause);
  }
}
