package org.minibert.core.tokenizer;

import java.util.Arrays;

/** A growable int array, to build encodings without boxing. */
final class IntList {
  private int[] values;
  private int size;

  IntList(int capacity) {
    values = new int[Math.max(1, capacity)];
  }

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int get(int index) {
    return values[index];
  }

  /** Replaces the value at {@code index} (below {@link #size}). */
  void set(int index, int value) {
    values[index] = value;
  }

  int size() {
    return size;
  }

  /** Drops every value from {@code size} on. */
  void truncate(int size) {
    this.size = Math.min(this.size, size);
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
