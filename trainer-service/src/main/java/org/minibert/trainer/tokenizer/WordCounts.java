package org.minibert.trainer.tokenizer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.minibert.core.tokenizer.BertPreTokenizer;

/**
 * Exact word counts of a corpus of any size in bounded memory, and the most frequent words among
 * them for {@link WordPieceTrainer}.
 *
 * <p>Counts gather in a table of at most {@code maxWordsInMemory} distinct words; when it is full
 * it is written, sorted, to a run file in {@code spillDir} and emptied. {@link #finish} merges the
 * runs and the table into exact totals, streaming them in word order: on the way it sums every
 * word's symbols (the alphabet is chosen from all words) and keeps the {@code keepWords} most
 * frequent words (ties to the smaller word) for the merges. Counting is exact and the kept words
 * depend only on the totals, so the result is the same whatever the order the words were added in.
 *
 * <p>Not thread-safe: count a batch of texts elsewhere ({@link #countWords}), then {@link #addAll}
 * it here.
 */
public final class WordCounts implements AutoCloseable {
  private final Path spillDir;
  private final int maxWordsInMemory;
  private final WordTable table;
  private final List<Path> runs = new ArrayList<>();
  private long totalWords;

  /**
   * @param spillDir where run files go (created when needed; the runs are deleted on close)
   * @param maxWordsInMemory distinct words the table holds before it is spilled
   */
  public WordCounts(Path spillDir, int maxWordsInMemory) {
    if (maxWordsInMemory < 1) {
      throw new IllegalArgumentException(
          "maxWordsInMemory must be at least 1: " + maxWordsInMemory);
    }
    this.spillDir = spillDir;
    this.maxWordsInMemory = maxWordsInMemory;
    this.table = new WordTable(maxWordsInMemory);
  }

  /** The words of some texts counted into a small map: the costly part, for any thread. */
  public static Map<String, long[]> countWords(Iterable<String> texts) {
    Map<String, long[]> counts = new HashMap<>();
    for (String text : texts) {
      for (String word : BertPreTokenizer.words(text)) {
        counts.computeIfAbsent(word, w -> new long[1])[0]++;
      }
    }
    return counts;
  }

  /** Adds counts (as made by {@link #countWords}); may spill the table to disk. */
  public void addAll(Map<String, long[]> counts) {
    counts.forEach(
        (word, count) -> {
          if (table.isFull()) {
            spill();
          }
          table.add(word, count[0]);
          totalWords += count[0];
        });
  }

  /** Adds the words of one text. */
  public void addText(String text) {
    addAll(countWords(List.of(text)));
  }

  /** Run files written so far. */
  public int spills() {
    return runs.size();
  }

  private void spill() {
    Path run = spillDir.resolve("word-counts-" + runs.size() + ".bin");
    try {
      Files.createDirectories(spillDir);
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (int entry : table.sortedEntries()) {
          String word = table.word(entry);
          out.writeInt(word.length());
          out.writeChars(word);
          out.writeLong(table.count(entry));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write word counts to " + run, e);
    }
    runs.add(run);
    table.clear();
  }

  /** The totals' summary: every word's symbols, the most frequent words. */
  public record Summary(
      List<String> words,
      long[] counts,
      Map<String, Long> symbolCounts,
      long distinctWords,
      long totalWords) {}

  /**
   * Merges everything counted into exact totals and keeps the {@code keepWords} most frequent
   * words, returned in word order.
   */
  public Summary finish(int keepWords) {
    SymbolCounts symbols = new SymbolCounts();
    PriorityQueue<Kept> kept =
        new PriorityQueue<>(
            Comparator.comparingLong(Kept::count)
                .thenComparing(Kept::word, Comparator.reverseOrder()));
    long distinct = 0;
    List<Source> sources = new ArrayList<>();
    try {
      for (Path run : runs) {
        sources.add(new RunSource(run));
      }
      sources.add(new TableSource(table, table.sortedEntries()));
      PriorityQueue<Source> heads = new PriorityQueue<>(Comparator.comparing((Source s) -> s.word));
      for (Source source : sources) {
        if (source.advance()) {
          heads.add(source);
        }
      }
      while (!heads.isEmpty()) {
        String word = heads.peek().word;
        long count = 0;
        while (!heads.isEmpty() && heads.peek().word.equals(word)) {
          Source source = heads.poll();
          count += source.count;
          if (source.advance()) {
            heads.add(source);
          }
        }
        distinct++;
        symbols.add(word, count);
        if (kept.size() < keepWords) {
          kept.add(new Kept(word, count));
        } else if (keepWords > 0 && better(count, word, kept.peek())) {
          kept.poll();
          kept.add(new Kept(word, count));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read word counts back", e);
    } finally {
      sources.forEach(Source::close);
    }
    List<Kept> words = new ArrayList<>(kept);
    words.sort(Comparator.comparing(Kept::word));
    return new Summary(
        words.stream().map(Kept::word).toList(),
        words.stream().mapToLong(Kept::count).toArray(),
        symbols.toMap(),
        distinct,
        totalWords);
  }

  private static boolean better(long count, String word, Kept least) {
    return count > least.count() || (count == least.count() && word.compareTo(least.word()) < 0);
  }

  /**
   * Symbol counts of millions of words without garbage: a count per character of the Basic
   * Multilingual Plane, at the start of a word and inside one, in two arrays; rarer characters in a
   * map. (One string and one boxed count per character of every word made the merge the peak of
   * prepare's memory.)
   */
  private static final class SymbolCounts {
    private final long[] atStart = new long[1 << 16];
    private final long[] inside = new long[1 << 16];
    private final Map<String, Long> supplementary = new HashMap<>();

    void add(String word, long count) {
      int position = 0;
      for (int i = 0; i < word.length(); ) {
        int c = word.codePointAt(i);
        i += Character.charCount(c);
        if (c < (1 << 16)) {
          (position == 0 ? atStart : inside)[c] += count;
        } else {
          supplementary.merge(WordPieceTrainer.symbol(c, position), count, Long::sum);
        }
        position++;
      }
    }

    Map<String, Long> toMap() {
      Map<String, Long> symbols = new HashMap<>(supplementary);
      for (int c = 0; c < (1 << 16); c++) {
        if (atStart[c] > 0) {
          symbols.put(WordPieceTrainer.symbol(c, 0), atStart[c]);
        }
        if (inside[c] > 0) {
          symbols.put(WordPieceTrainer.symbol(c, 1), inside[c]);
        }
      }
      return symbols;
    }
  }

  @Override
  public void close() throws IOException {
    for (Path run : runs) {
      Files.deleteIfExists(run);
    }
    runs.clear();
  }

  private record Kept(String word, long count) {}

  /** Sorted (word, count) entries of one run or of the table. */
  private abstract static class Source {
    String word;
    long count;

    abstract boolean advance() throws IOException;

    void close() {}
  }

  private static final class RunSource extends Source {
    private final DataInputStream in;

    RunSource(Path run) throws IOException {
      in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    @Override
    boolean advance() throws IOException {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException end) {
        return false;
      }
      char[] chars = new char[length];
      for (int i = 0; i < length; i++) {
        chars[i] = in.readChar();
      }
      word = new String(chars);
      count = in.readLong();
      return true;
    }

    @Override
    void close() {
      try {
        in.close();
      } catch (IOException e) {
        // read to the end already, or failing anyway
      }
    }
  }

  private static final class TableSource extends Source {
    private final WordTable table;
    private final int[] entries;
    private int next;

    TableSource(WordTable table, int[] entries) {
      this.table = table;
      this.entries = entries;
    }

    @Override
    boolean advance() {
      if (next == entries.length) {
        return false;
      }
      word = table.word(entries[next]);
      count = table.count(entries[next]);
      next++;
      return true;
    }
  }
}
