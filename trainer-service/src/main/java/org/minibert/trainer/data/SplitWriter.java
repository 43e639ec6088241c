package org.minibert.trainer.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;

/** Appends tokenized documents to the files of one split; see {@link SplitFiles} for the layout. */
public final class SplitWriter implements AutoCloseable {
  /** Token ids are stored in 16 bits: the vocabulary must fit. */
  public static final int MAX_VOCAB_SIZE = 1 << 16;

  private final LittleEndianOut tokens;
  private final LittleEndianOut sentenceOffsets;
  private final LittleEndianOut documentOffsets;
  private long tokenCount;
  private long sentenceCount;
  private long documentCount;

  public SplitWriter(SplitFiles files) throws IOException {
    Files.createDirectories(files.dir());
    tokens = new LittleEndianOut(Files.newOutputStream(files.tokens()));
    sentenceOffsets = new LittleEndianOut(Files.newOutputStream(files.sentenceOffsets()));
    documentOffsets = new LittleEndianOut(Files.newOutputStream(files.documentOffsets()));
    sentenceOffsets.writeLong(0);
    documentOffsets.writeLong(0);
  }

  /**
   * Appends one document; sentences that tokenized to nothing are dropped, and so is a document
   * left empty.
   */
  public void addDocument(List<int[]> sentences) {
    long before = sentenceCount;
    for (int[] sentence : sentences) {
      if (sentence.length == 0) {
        continue;
      }
      for (int id : sentence) {
        if (id < 0 || id >= MAX_VOCAB_SIZE) {
          throw new IllegalArgumentException("token id " + id + " does not fit in 16 bits");
        }
        tokens.writeShort(id);
      }
      tokenCount += sentence.length;
      sentenceCount++;
      sentenceOffsets.writeLong(tokenCount);
    }
    if (sentenceCount > before) {
      documentCount++;
      documentOffsets.writeLong(sentenceCount);
    }
  }

  public long tokenCount() {
    return tokenCount;
  }

  public long sentenceCount() {
    return sentenceCount;
  }

  public long documentCount() {
    return documentCount;
  }

  @Override
  public void close() throws IOException {
    try (tokens;
        sentenceOffsets;
        documentOffsets) {
      // closes all three, reporting the first failure
    }
  }

  /** Buffered little-endian primitive writer (DataOutputStream is big-endian). */
  private static final class LittleEndianOut implements AutoCloseable {
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    LittleEndianOut(OutputStream out) {
      this.out = new BufferedOutputStream(out, 1 << 16);
    }

    void writeShort(int value) {
      ensure(Short.BYTES);
      buffer.putShort((short) value);
    }

    void writeLong(long value) {
      ensure(Long.BYTES);
      buffer.putLong(value);
    }

    private void ensure(int bytes) {
      if (buffer.remaining() < bytes) {
        flushBuffer();
      }
    }

    private void flushBuffer() {
      try {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      flushBuffer();
      out.close();
    }
  }
}
