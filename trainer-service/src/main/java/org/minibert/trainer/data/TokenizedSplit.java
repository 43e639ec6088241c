package org.minibert.trainer.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One split of a prepared data set, memory-mapped read-only: documents, their sentences and token
 * ids. Nothing is loaded into the heap, so a full Wikipedia data set costs only page cache.
 */
public final class TokenizedSplit {
  private final String name;
  private final MappedArray tokens;
  private final MappedArray sentenceOffsets;
  private final MappedArray documentOffsets;

  private TokenizedSplit(
      String name, MappedArray tokens, MappedArray sentenceOffsets, MappedArray documentOffsets) {
    this.name = name;
    this.tokens = tokens;
    this.sentenceOffsets = sentenceOffsets;
    this.documentOffsets = documentOffsets;
  }

  public static TokenizedSplit open(String name, SplitFiles files) throws IOException {
    TokenizedSplit split =
        new TokenizedSplit(
            name,
            MappedArray.map(files.tokens(), Short.BYTES),
            MappedArray.map(files.sentenceOffsets(), Long.BYTES),
            MappedArray.map(files.documentOffsets(), Long.BYTES));
    split.checkConsistent(files.dir());
    return split;
  }

  private void checkConsistent(Path dir) {
    if (sentenceOffsets.length() < 1 || documentOffsets.length() < 1) {
      throw new IllegalStateException("damaged data set split " + dir + ": empty offset file");
    }
    long lastToken = sentenceOffsets.getLong(sentenceOffsets.length() - 1);
    long lastSentence = documentOffsets.getLong(documentOffsets.length() - 1);
    if (lastToken != tokens.length() || lastSentence != sentenceOffsets.length() - 1) {
      throw new IllegalStateException(
          "damaged data set split " + dir + ": offsets do not match the token file");
    }
  }

  public String name() {
    return name;
  }

  public int documentCount() {
    return Math.toIntExact(documentOffsets.length() - 1);
  }

  public long sentenceCount() {
    return sentenceOffsets.length() - 1;
  }

  public long tokenCount() {
    return tokens.length();
  }

  /** Index of the first sentence of document {@code doc}. */
  public long firstSentence(int doc) {
    return documentOffsets.getLong(doc);
  }

  public int sentenceCount(int doc) {
    return Math.toIntExact(documentOffsets.getLong(doc + 1) - documentOffsets.getLong(doc));
  }

  /** Token offset where sentence {@code sentence} (a global sentence index) starts. */
  public long sentenceStart(long sentence) {
    return sentenceOffsets.getLong(sentence);
  }

  public int sentenceLength(long sentence) {
    return Math.toIntExact(
        sentenceOffsets.getLong(sentence + 1) - sentenceOffsets.getLong(sentence));
  }

  /** The token id at a global token offset. */
  public int token(long offset) {
    return tokens.getUnsignedShort(offset);
  }

  /** Copies {@code length} token ids starting at {@code offset} into {@code dest[destPos..]}. */
  public void copyTokens(long offset, int length, int[] dest, int destPos) {
    for (int i = 0; i < length; i++) {
      dest[destPos + i] = tokens.getUnsignedShort(offset + i);
    }
  }

  /**
   * A read-only little-endian array over a file, mapped in segments so files past 2 GiB work too.
   * Segment boundaries are multiples of the element size, so no element straddles two segments.
   */
  static final class MappedArray {
    private static final long SEGMENT_BYTES = 1L << 30;
    private final MappedByteBuffer[] segments;
    private final int elementBytes;
    private final long length;

    private MappedArray(MappedByteBuffer[] segments, int elementBytes, long length) {
      this.segments = segments;
      this.elementBytes = elementBytes;
      this.length = length;
    }

    static MappedArray map(Path file, int elementBytes) throws IOException {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        if (size % elementBytes != 0) {
          throw new IllegalStateException(
              "damaged data file "
                  + file
                  + ": size "
                  + size
                  + " is not a multiple of "
                  + elementBytes);
        }
        int count = (int) ((size + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
        MappedByteBuffer[] segments = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
          long start = i * SEGMENT_BYTES;
          segments[i] =
              channel.map(
                  FileChannel.MapMode.READ_ONLY, start, Math.min(SEGMENT_BYTES, size - start));
          segments[i].order(ByteOrder.LITTLE_ENDIAN);
        }
        return new MappedArray(segments, elementBytes, size / elementBytes);
      }
    }

    long length() {
      return length;
    }

    long getLong(long index) {
      long byteOffset = check(index) * Long.BYTES;
      return segments[(int) (byteOffset / SEGMENT_BYTES)].getLong(
          (int) (byteOffset % SEGMENT_BYTES));
    }

    int getUnsignedShort(long index) {
      long byteOffset = check(index) * Short.BYTES;
      return Short.toUnsignedInt(
          segments[(int) (byteOffset / SEGMENT_BYTES)].getShort(
              (int) (byteOffset % SEGMENT_BYTES)));
    }

    private long check(long index) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (length - 1));
      }
      return index;
    }
  }
}
