package org.minibert.trainer.corpus;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Caps on what one record of a corpus may hold, so that a hostile or broken input (a bzip2 bomb
 * that inflates to one endless line or XML text) stops with one clear line instead of exhausting
 * memory: a line of plain text or JSON Lines, an XML text or tag, or an HTML page may hold at most
 * {@code maxRecordChars} characters ({@code prepare --max-record-chars}), and XML may nest at most
 * {@link #MAX_XML_DEPTH} elements deep.
 */
public final class RecordLimits {
  /** 16 Mi characters: far above any real article, far below a heap. */
  public static final int DEFAULT_MAX_RECORD_CHARS = 16 << 20;

  /** A MediaWiki export nests 4 deep; the JDK's own default is 10,000. */
  public static final int MAX_XML_DEPTH = 100;

  private RecordLimits() {}

  static CorpusException tooLong(String where, String what, int maxRecordChars) {
    return new CorpusException(
        where
            + ": "
            + what
            + " is longer than "
            + maxRecordChars
            + " characters (--max-record-chars): not read, to keep memory bounded");
  }

  /**
   * Lines of at most {@code max} characters, ended by \n, \r\n or \r like {@link
   * java.io.BufferedReader#readLine}, which would buffer a line of any length.
   */
  static final class LineReader implements AutoCloseable {
    private final Reader in;
    private final Path file;
    private final int max;
    private final char[] buffer = new char[1 << 14];
    private int pos;
    private int end;
    private long lineNumber;
    private boolean skipLf;

    LineReader(Reader in, Path file, int max) {
      this.in = in;
      this.file = file;
      this.max = max;
    }

    /** The next line without its terminator, or null at the end of the input. */
    String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        if (pos == end) {
          end = in.read(buffer, 0, buffer.length);
          pos = 0;
          if (end <= 0) {
            end = 0;
            if (line.isEmpty()) {
              return null;
            }
            lineNumber++;
            return line.toString();
          }
        }
        char c = buffer[pos++];
        if (skipLf) {
          skipLf = false;
          if (c == '\n') {
            continue;
          }
        }
        if (c == '\n' || c == '\r') {
          skipLf = c == '\r';
          lineNumber++;
          return line.toString();
        }
        if (line.length() >= max) {
          throw tooLong(Locations.line(file, lineNumber + 1), "the line", max);
        }
        line.append(c);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * Passes XML through and fails when more than {@code max} characters come without a '<' or '>': a
   * text node or a tag that long, which a StAX parser would otherwise gather whole.
   */
  static final class XmlRunLimit extends FilterReader {
    private final Path file;
    private final int max;
    private long run;

    XmlRunLimit(Reader in, Path file, int max) {
      super(in);
      this.file = file;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        count((char) c);
      }
      return c;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
      int n = super.read(cbuf, off, len);
      for (int i = 0; i < n; i++) {
        count(cbuf[off + i]);
      }
      return n;
    }

    private void count(char c) {
      if (c == '<' || c == '>') {
        run = 0;
      } else if (++run > max) {
        throw tooLong(file.toString(), "an XML text or tag", max);
      }
    }
  }
}
