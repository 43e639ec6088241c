package org.minibert.trainer.tokenizer;

import java.util.Arrays;

/**
 * Counts of up to {@code capacity} distinct words in a few flat arrays: the words' characters in
 * one arena, an open-addressing index into it, the counts in a {@code long[]}. Unlike a map of
 * strings it holds no object per word, so a table that lives through a long count costs the garbage
 * collector nothing to keep (a map of a hundred thousand strings made every young collection copy
 * and promote new entries, and the JVM grow its heap).
 */
final class WordTable {
  private final int capacity;
  private final int[] slots; // entry index + 1; 0 = empty
  private final int[] starts;
  private final int[] lengths;
  private final int[] hashes;
  private final long[] counts;
  private char[] arena = new char[1 << 16];
  private int arenaSize;
  private int size;

  WordTable(int capacity) {
    this.capacity = capacity;
    this.slots = new int[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2];
    this.starts = new int[capacity];
    this.lengths = new int[capacity];
    this.hashes = new int[capacity];
    this.counts = new long[capacity];
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == capacity;
  }

  /** Adds {@code count} to the word's count; the table must not be full if the word is new. */
  void add(String word, long count) {
    int hash = mix(word.hashCode());
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        if (size == capacity) {
          throw new IllegalStateException("word table full");
        }
        insert(slot, word, hash, count);
        return;
      }
      if (hashes[entry] == hash && equalsWord(entry, word)) {
        counts[entry] += count;
        return;
      }
    }
  }

  private void insert(int slot, String word, int hash, long count) {
    int length = word.length();
    if (arenaSize + length > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
    }
    word.getChars(0, length, arena, arenaSize);
    starts[size] = arenaSize;
    lengths[size] = length;
    hashes[size] = hash;
    counts[size] = count;
    arenaSize += length;
    slots[slot] = ++size;
  }

  private boolean equalsWord(int entry, String word) {
    int length = lengths[entry];
    if (length != word.length()) {
      return false;
    }
    int start = starts[entry];
    for (int i = 0; i < length; i++) {
      if (arena[start + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  String word(int entry) {
    return new String(arena, starts[entry], lengths[entry]);
  }

  long count(int entry) {
    return counts[entry];
  }

  /** Entry indexes in word order ({@link String#compareTo}). */
  int[] sortedEntries() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, this::compare);
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** Compares two entries' words as {@link String#compareTo} compares strings (by UTF-16 unit). */
  private int compare(int a, int b) {
    int la = lengths[a];
    int lb = lengths[b];
    int sa = starts[a];
    int sb = starts[b];
    for (int i = 0, n = Math.min(la, lb); i < n; i++) {
      char ca = arena[sa + i];
      char cb = arena[sb + i];
      if (ca != cb) {
        return ca - cb;
      }
    }
    return la - lb;
  }

  void clear() {
    Arrays.fill(slots, 0);
    size = 0;
    arenaSize = 0;
  }

  private static int mix(int h) {
    h *= 0x9E3779B1;
    return h ^ (h >>> 16);
  }
}
