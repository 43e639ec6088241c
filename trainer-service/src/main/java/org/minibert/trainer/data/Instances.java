package org.minibert.trainer.data;

import java.util.Arrays;

/**
 * Sentence-pair instances of one split, as token ranges into {@link TokenizedSplit} (struct of
 * arrays: a million instances cost about 25 MB). Instance i is {@code [CLS] A [SEP] B [SEP]} with A
 * the tokens {@code [aStart, aStart + aLength)} and B likewise; {@code randomNext} is the NSP label
 * (false = B actually follows A, label 0; true = B comes from another document, label 1). A
 * single-segment instance ({@link #addSingle}) has no B: {@code [CLS] A [SEP]}, label 0.
 */
public final class Instances {
  private long[] aStart = new long[1024];
  private int[] aLength = new int[1024];
  private long[] bStart = new long[1024];
  private int[] bLength = new int[1024];
  private boolean[] randomNext = new boolean[1024];
  private int size;

  void add(long aStart, int aLength, long bStart, int bLength, boolean randomNext) {
    if (size == this.aStart.length) {
      int capacity = size * 2;
      this.aStart = Arrays.copyOf(this.aStart, capacity);
      this.aLength = Arrays.copyOf(this.aLength, capacity);
      this.bStart = Arrays.copyOf(this.bStart, capacity);
      this.bLength = Arrays.copyOf(this.bLength, capacity);
      this.randomNext = Arrays.copyOf(this.randomNext, capacity);
    }
    this.aStart[size] = aStart;
    this.aLength[size] = aLength;
    this.bStart[size] = bStart;
    this.bLength[size] = bLength;
    this.randomNext[size] = randomNext;
    size++;
  }

  /** A single-segment instance, {@code [CLS] A [SEP]}. */
  void addSingle(long start, int length) {
    add(start, length, start + length, 0, false);
  }

  public int size() {
    return size;
  }

  public long aStart(int i) {
    return aStart[i];
  }

  public int aLength(int i) {
    return aLength[i];
  }

  public long bStart(int i) {
    return bStart[i];
  }

  public int bLength(int i) {
    return bLength[i];
  }

  public boolean randomNext(int i) {
    return randomNext[i];
  }

  /** Whether instance i has a B segment. */
  public boolean isPair(int i) {
    return bLength[i] > 0;
  }

  /** Sequence length with {@code [CLS]} and the {@code [SEP]} after each segment. */
  public int sequenceLength(int i) {
    return aLength[i] + bLength[i] + (isPair(i) ? 3 : 2);
  }
}
