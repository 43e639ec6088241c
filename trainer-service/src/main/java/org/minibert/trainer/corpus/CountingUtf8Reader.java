package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 like {@code new InputStreamReader(in, UTF_8)} does, replacing each malformed byte
 * sequence with U+FFFD, but also counts the replacements into {@link CorpusStats#replacedBytes}: a
 * corpus that quietly turns into replacement characters should show up in the prepare summary. A
 * leading byte order mark is dropped. Every corpus reader decodes through this class.
 */
public final class CountingUtf8Reader extends Reader {
  private static final char REPLACEMENT = '\uFFFD';
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final InputStream in;
  private final CorpusStats stats;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
  private boolean endOfInput;
  private boolean flushed;
  private boolean atStart = true;

  public CountingUtf8Reader(InputStream in, CorpusStats stats) {
    this.in = in;
    this.stats = stats;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(buffer, offset, length);
    while (out.position() == offset && !flushed) {
      decodeInto(out);
    }
    int count = out.position() - offset;
    if (atStart && count > 0) {
      atStart = false;
      if (buffer[offset] == BYTE_ORDER_MARK) {
        System.arraycopy(buffer, offset + 1, buffer, offset, count - 1);
        return count > 1 ? count - 1 : read(buffer, offset, length);
      }
    }
    return count > 0 ? count : -1;
  }

  /**
   * One step of the decoding loop; called only while {@code out} is empty, so there is always room
   * for a replacement character.
   */
  private void decodeInto(CharBuffer out) throws IOException {
    CoderResult result = decoder.decode(bytes, out, endOfInput);
    if (result.isError()) {
      out.put(REPLACEMENT);
      bytes.position(bytes.position() + result.length());
      stats.replacedBytes++;
    } else if (result.isUnderflow()) {
      if (endOfInput) {
        decoder.flush(out);
        flushed = true;
      } else {
        refill();
      }
    }
  }

  private void refill() throws IOException {
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
