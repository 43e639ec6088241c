package org.minibert.trainer.corpus;

import java.nio.file.Path;

/**
 * The one way to say where a document or a problem is, shared by {@link Document#source()} and
 * errors.
 */
final class Locations {
  private Locations() {}

  static String line(Path file, long line) {
    return file + ":" + line;
  }

  static String page(Path file, String title) {
    return file + " [[" + title + "]]";
  }
}
