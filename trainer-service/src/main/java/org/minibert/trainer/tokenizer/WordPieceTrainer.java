package org.minibert.trainer.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.minibert.core.tokenizer.BertPreTokenizer;
import org.minibert.core.tokenizer.SpecialTokens;
import org.minibert.core.tokenizer.TokenizerJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a WordPiece vocabulary from text the way Hugging Face's {@code WordPieceTrainer} does:
 * byte-pair-encoding merges over word counts, where every character after the first of a word
 * carries the {@code ##} prefix.
 *
 * <ol>
 *   <li>Words are counted with {@link BertPreTokenizer}, the Java mirror of the tokenizer's own
 *       pipeline, so Hangul arrives as conjoining jamo.
 *   <li>The alphabet is every symbol ({@code c} at the start of a word, {@code ##c} inside one)
 *       seen at least {@code minCharFrequency} times, plus any Hangul jamo seen at all, plus,
 *       whatever the corpus, the 19 leading consonants and {@code ##} forms of all 67 modern jamo:
 *       with those every modern Hangul syllable can be spelled, so Korean words never become {@code
 *       [UNK]}; and the 51 compatibility jamo (U+3131..U+3163, bare and with {@code ##}), which NFD
 *       leaves alone and everyday writing uses ("ㅋㅋ", "ㅠㅠ", "ㄱ, ㄴ, ㄷ"). When the symbols exceed the
 *       budget the rarest go.
 *   <li>Words with a symbol outside the alphabet, or longer than {@value #MAX_INPUT_CHARS_PER_WORD}
 *       characters, are left out: WordPiece turns them into {@code [UNK]} whole, so their pairs
 *       would teach nothing.
 *   <li>Then, until the vocabulary is full, the best adjacent pair is merged ({@code a + ##b ->
 *       ab}): by default the most frequent one; with {@link MergeScore#LIKELIHOOD} the one whose
 *       count is highest relative to the counts of its two parts.
 * </ol>
 *
 * <p>Training is deterministic by construction, so it takes no seed: ties between equally frequent
 * pairs go to the lexicographically smallest (left token, right token), the alphabet is sorted, and
 * nothing depends on the order in which texts were added or on hash order. Pair counts are kept
 * incrementally: a merge only revisits the words that contain the merged pair, and a priority queue
 * with lazily refreshed scores picks the next pair, so the cost grows with the corpus and the
 * number of merges added, not with their product. A queued score that has fallen is refreshed when
 * it reaches the top; one that can rise is queued again at once: a frequency rises only for the
 * pairs a merge creates, a likelihood score also for every pair that shares a part with the merged
 * pair (the part's count fell), so a likelihood merge re-queues those pairs too.
 *
 * <p>Not thread-safe: add all texts, then call {@link #train()}.
 */
public final class WordPieceTrainer {
  /**
   * WordPiece maps longer words to {@code [UNK]} ({@code max_input_chars_per_word} in
   * tokenizer.json).
   */
  public static final int MAX_INPUT_CHARS_PER_WORD = TokenizerJson.MAX_INPUT_CHARS_PER_WORD;

  private static final Logger LOG = LoggerFactory.getLogger(WordPieceTrainer.class);
  private static final List<String> HANGUL_JAMO = hangulJamo();

  /** How the merge loop ranks the candidate pairs. */
  public enum MergeScore {
    /**
     * {@code count(ab)}: the most frequent pair, as Hugging Face's trainer (and BPE) does. Frequent
     * words become single pieces early.
     */
    FREQUENCY,
    /**
     * {@code count(ab) / sqrt(count(a) x count(b))}: pairs that occur together more often than
     * their parts' frequencies suggest, halfway to Google's likelihood-gain WordPiece ({@code
     * count(ab) / (count(a) x count(b))}). Stems and endings become pieces of their own, so words
     * take more, smaller pieces (1.37 instead of 1.14 per word on the LibreOffice help pages):
     * single masked pieces are predicted better, whole words worse
     * (bench/out/quality-reference.md).
     */
    LIKELIHOOD
  }

  private final int vocabSize;
  private final int minCharFrequency;
  private final int minPairFrequency;
  private final MergeScore mergeScore;
  private final Map<String, long[]> wordCounts = new HashMap<>();

  /**
   * @param vocabSize tokens wanted, special tokens included; the result is smaller only if the
   *     corpus runs out of pairs seen at least {@code minPairFrequency} times
   * @param minCharFrequency occurrences a (non-jamo) symbol needs to enter the alphabet
   * @param minPairFrequency occurrences a pair needs to be merged, at least 1
   * @throws IllegalArgumentException if the vocabulary cannot hold the special tokens and the
   *     Hangul jamo
   */
  public WordPieceTrainer(int vocabSize, int minCharFrequency, int minPairFrequency) {
    this(vocabSize, minCharFrequency, minPairFrequency, MergeScore.FREQUENCY);
  }

  /**
   * @param mergeScore how the next pair to merge is chosen
   * @see #WordPieceTrainer(int, int, int)
   */
  public WordPieceTrainer(
      int vocabSize, int minCharFrequency, int minPairFrequency, MergeScore mergeScore) {
    int minimum = SpecialTokens.ALL.size() + HANGUL_JAMO.size();
    if (vocabSize < minimum) {
      throw new IllegalArgumentException(
          String.format(
              "vocabulary size %d is too small: the %d special tokens and the %d Hangul jamo"
                  + " symbols need at least %d",
              vocabSize, SpecialTokens.ALL.size(), HANGUL_JAMO.size(), minimum));
    }
    if (minPairFrequency < 1) {
      throw new IllegalArgumentException(
          "minPairFrequency must be at least 1: " + minPairFrequency);
    }
    this.vocabSize = vocabSize;
    this.minCharFrequency = minCharFrequency;
    this.minPairFrequency = minPairFrequency;
    this.mergeScore = Objects.requireNonNull(mergeScore, "mergeScore");
  }

  /** Counts the words of a text (a sentence, a document: any unit, words never span two calls). */
  public void addText(String text) {
    for (String word : BertPreTokenizer.words(text)) {
      wordCounts.computeIfAbsent(word, w -> new long[1])[0]++;
    }
  }

  /** Learns the vocabulary from everything added so far. */
  public Vocabulary train() {
    Map<String, Long> symbolCounts = new HashMap<>();
    wordCounts.forEach(
        (word, count) -> {
          int[] chars = word.codePoints().toArray();
          for (int i = 0; i < chars.length; i++) {
            symbolCounts.merge(symbol(chars[i], i), count[0], Long::sum);
          }
        });
    List<String> words = wordCounts.keySet().stream().sorted().toList();
    long[] counts = words.stream().mapToLong(w -> wordCounts.get(w)[0]).toArray();
    return train(words, counts, symbolCounts, wordCounts.size());
  }

  /**
   * Learns the vocabulary from counts gathered in bounded memory, ignoring anything added with
   * {@link #addText}: the alphabet from the symbols of all words counted, the merges from the most
   * frequent words that were kept.
   */
  public Vocabulary train(WordCounts.Summary counted) {
    return train(
        counted.words(), counted.counts(), counted.symbolCounts(), counted.distinctWords());
  }

  private Vocabulary train(
      List<String> words, long[] counts, Map<String, Long> symbolCounts, long distinctWords) {
    long startNanos = System.nanoTime();
    List<String> alphabet = alphabet(symbolCounts);
    Merger merger = new Merger(alphabet, words, counts);
    merger.mergeUntil(vocabSize, minPairFrequency);
    LOG.info(
        "WordPiece: {} tokens ({} alphabet symbols, {} merges by {}) from {} of {} distinct words"
            + " in {} ms",
        merger.tokens.size(),
        alphabet.size(),
        merger.tokens.size() - SpecialTokens.ALL.size() - alphabet.size(),
        mergeScore.name().toLowerCase(Locale.ROOT),
        words.size(),
        distinctWords,
        (System.nanoTime() - startNanos) / 1_000_000);
    return new Vocabulary(merger.tokens);
  }

  /** The initial symbols, sorted; see the class comment for what gets in. */
  private List<String> alphabet(Map<String, Long> counted) {
    Map<String, Long> symbolCounts = new HashMap<>(counted);
    HANGUL_JAMO.forEach(symbolCounts::remove);
    Comparator<String> preference =
        Comparator.comparing((String s) -> !isJamo(s))
            .thenComparing(symbolCounts::get, Comparator.reverseOrder())
            .thenComparing(Comparator.naturalOrder());
    Set<String> alphabet = new TreeSet<>(HANGUL_JAMO);
    symbolCounts.keySet().stream()
        .filter(s -> isJamo(s) || symbolCounts.get(s) >= minCharFrequency)
        .sorted(preference)
        .limit(vocabSize - SpecialTokens.ALL.size() - HANGUL_JAMO.size())
        .forEach(alphabet::add);
    return List.copyOf(alphabet);
  }

  /** A character as a symbol: bare at the start of a word, with {@code ##} inside one. */
  static String symbol(int codePoint, int position) {
    String character = Character.toString(codePoint);
    return position == 0 ? character : SpecialTokens.CONTINUATION + character;
  }

  private static boolean isJamo(String symbol) {
    int c =
        symbol.codePointAt(
            symbol.startsWith(SpecialTokens.CONTINUATION)
                ? SpecialTokens.CONTINUATION.length()
                : 0);
    Character.UnicodeBlock block = Character.UnicodeBlock.of(c);
    return block == Character.UnicodeBlock.HANGUL_JAMO
        || block == Character.UnicodeBlock.HANGUL_COMPATIBILITY_JAMO;
  }

  /**
   * Leading consonants U+1100..U+1112 bare, all modern jamo (U+1100..U+1112, U+1161..U+1175,
   * U+11A8..U+11C2) with ##, and the compatibility jamo U+3131..U+3163 both bare and with ##.
   */
  private static List<String> hangulJamo() {
    IntStream leading = IntStream.rangeClosed(0x1100, 0x1112);
    IntStream all =
        IntStream.concat(
            IntStream.rangeClosed(0x1100, 0x1112),
            IntStream.concat(
                IntStream.rangeClosed(0x1161, 0x1175), IntStream.rangeClosed(0x11A8, 0x11C2)));
    List<String> jamo = new ArrayList<>();
    leading.forEach(c -> jamo.add(Character.toString(c)));
    all.forEach(c -> jamo.add(SpecialTokens.CONTINUATION + Character.toString(c)));
    IntStream.rangeClosed(0x3131, 0x3163)
        .forEach(
            c -> {
              jamo.add(Character.toString(c));
              jamo.add(SpecialTokens.CONTINUATION + Character.toString(c));
            });
    return List.copyOf(jamo);
  }

  /**
   * The merge loop's state: words as symbol-id sequences, pair counts, and where each pair occurs.
   */
  private final class Merger {
    final List<String> tokens = new ArrayList<>(SpecialTokens.ALL);
    final Map<String, Integer> ids = new HashMap<>();
    final int[][] words;
    final long[] counts;
    final Map<Long, Pair> pairs = new HashMap<>();

    /** For each symbol id, the pairs it is the left or right part of (some may be empty now). */
    final List<List<Pair>> pairsOfSymbol = new ArrayList<>();

    /** Pairs by score, best first; an entry is stale when the pair's score has changed since. */
    final PriorityQueue<QueuedPair> queue;

    /** Occurrences of each symbol id in the words (weighted by word count), for the likelihood. */
    long[] symbolCounts;

    /** {@code words} in sorted order, each with its count. */
    Merger(List<String> alphabet, List<String> wordList, long[] wordCounts) {
      tokens.addAll(alphabet);
      for (int id = 0; id < tokens.size(); id++) {
        ids.put(tokens.get(id), id);
      }
      queue =
          new PriorityQueue<>(
              Comparator.comparingDouble((QueuedPair q) -> -q.score)
                  .thenComparing(q -> tokens.get(q.pair.left))
                  .thenComparing(q -> tokens.get(q.pair.right)));

      List<int[]> trainable = new ArrayList<>();
      List<Long> trainableCounts = new ArrayList<>();
      for (int w = 0; w < wordList.size(); w++) {
        int[] symbols = toSymbols(wordList.get(w));
        if (symbols != null) {
          trainable.add(symbols);
          trainableCounts.add(wordCounts[w]);
        }
      }
      words = trainable.toArray(int[][]::new);
      counts = trainableCounts.stream().mapToLong(Long::longValue).toArray();

      symbolCounts = new long[tokens.size()];
      for (int w = 0; w < words.length; w++) {
        for (int i = 0; i + 1 < words[w].length; i++) {
          pair(words[w][i], words[w][i + 1]).add(w, counts[w]);
        }
        for (int symbol : words[w]) {
          symbolCounts[symbol] += counts[w];
        }
      }
      pairs.values().forEach(this::enqueue);
    }

    /** The pair's current score: its count, or {@code count(ab) / sqrt(count(a) x count(b))}. */
    private double score(Pair p) {
      return mergeScore == MergeScore.FREQUENCY
          ? p.count
          : p.count / Math.sqrt((double) symbolCounts[p.left] * symbolCounts[p.right]);
    }

    private void enqueue(Pair p) {
      queue.add(new QueuedPair(p, score(p)));
    }

    /**
     * Symbol ids of a word, or null if it cannot be trained on (too long, or a symbol outside the
     * alphabet).
     */
    private int[] toSymbols(String word) {
      int[] chars = word.codePoints().toArray();
      if (chars.length > MAX_INPUT_CHARS_PER_WORD) {
        return null;
      }
      int[] symbols = new int[chars.length];
      for (int i = 0; i < chars.length; i++) {
        Integer id = ids.get(symbol(chars[i], i));
        if (id == null) {
          return null;
        }
        symbols[i] = id;
      }
      return symbols;
    }

    void mergeUntil(int size, long minCount) {
      int[] visitedInMerge = new int[words.length];
      int merge = 0;
      while (tokens.size() < size) {
        Pair pair = best(minCount);
        if (pair == null) {
          break;
        }
        merge++;
        int merged =
            idOf(
                tokens.get(pair.left)
                    + tokens.get(pair.right).substring(SpecialTokens.CONTINUATION.length()));
        Set<Pair> grown = new HashSet<>();
        int[] occurrences = pair.words.toArray();
        pair.words = new IntList();
        for (int w : occurrences) {
          if (visitedInMerge[w] != merge) {
            visitedInMerge[w] = merge;
            mergeInWord(w, pair.left, pair.right, merged, grown);
          }
        }
        if (mergeScore == MergeScore.LIKELIHOOD) {
          // the two parts' counts fell, so the scores of all pairs they are in rose
          for (int part : new int[] {pair.left, pair.right}) {
            pairsOfSymbol.get(part).stream().filter(p -> p.count > 0).forEach(grown::add);
          }
        }
        grown.forEach(this::enqueue);
        if (queue.size() > 4 * pairs.size() + 1024) {
          rebuildQueue(); // keep the stale entries from outgrowing the pairs
        }
      }
    }

    /**
     * The pair with the highest score among those seen at least {@code minCount} times (ties to the
     * smallest left, then right token), or null when none is left. Stale entries on top are queued
     * again with the pair's current score; pairs below {@code minCount} leave the queue (they come
     * back if a merge makes them grow).
     */
    private Pair best(long minCount) {
      while (!queue.isEmpty()) {
        QueuedPair top = queue.poll();
        Pair pair = top.pair;
        if (pair.count < minCount) { // minCount is at least 1, so empty pairs leave too
          continue;
        }
        double score = score(pair);
        if (score == top.score) {
          return pair;
        }
        queue.add(new QueuedPair(pair, score));
      }
      return null;
    }

    private void rebuildQueue() {
      queue.clear();
      pairs.values().stream().filter(p -> p.count > 0).forEach(this::enqueue);
    }

    /**
     * Id of a merged token; two different pairs may spell the same token, which then keeps its
     * first id.
     */
    private int idOf(String token) {
      return ids.computeIfAbsent(
          token,
          t -> {
            tokens.add(t);
            return tokens.size() - 1;
          });
    }

    /**
     * Replaces left,right by merged in one word and applies the resulting change of its pairs to
     * the counts.
     */
    private void mergeInWord(int w, int left, int right, int merged, Set<Pair> grown) {
      int[] symbols = words[w];
      long[] before = pairKeys(symbols);
      int length = 0;
      for (int i = 0; i < symbols.length; ) {
        if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
          symbols[length++] = merged;
          i += 2;
        } else {
          symbols[length++] = symbols[i++];
        }
      }
      if (length == symbols.length) {
        return;
      }
      long occurrences = (long) (symbols.length - length) * counts[w]; // one per merged occurrence
      if (merged >= symbolCounts.length) {
        symbolCounts = Arrays.copyOf(symbolCounts, Math.max(merged + 1, 2 * symbolCounts.length));
      }
      symbolCounts[merged] += occurrences;
      symbolCounts[left] -= occurrences;
      symbolCounts[right] -= occurrences;
      words[w] = Arrays.copyOf(symbols, length);
      long[] after = pairKeys(words[w]);
      // both sorted: walk them together, a key's net change is (occurrences after - occurrences
      // before)
      int i = 0;
      int j = 0;
      while (i < before.length || j < after.length) {
        long key =
            j == after.length || (i < before.length && before[i] < after[j]) ? before[i] : after[j];
        int delta = 0;
        while (i < before.length && before[i] == key) {
          delta--;
          i++;
        }
        while (j < after.length && after[j] == key) {
          delta++;
          j++;
        }
        if (delta > 0) {
          Pair p = pair((int) (key >>> 32), (int) key);
          p.add(w, delta * counts[w]);
          grown.add(p);
        } else if (delta < 0) {
          pairs.get(mapKey(key)).count += delta * counts[w];
        }
      }
    }

    private Pair pair(int left, int right) {
      return pairs.computeIfAbsent(
          mapKey(key(left, right)),
          k -> {
            Pair p = new Pair(left, right);
            pairsOf(left).add(p);
            if (right != left) {
              pairsOf(right).add(p);
            }
            return p;
          });
    }

    private List<Pair> pairsOf(int symbol) {
      while (pairsOfSymbol.size() <= symbol) {
        pairsOfSymbol.add(new ArrayList<>());
      }
      return pairsOfSymbol.get(symbol);
    }
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | right;
  }

  /**
   * The pair map's key: {@link #key} times an odd constant (one to one). {@code Long.hashCode} of
   * the plain key is {@code left ^ right}, which collides for most pairs of a vocabulary of a few
   * thousand symbols and turns the map's buckets into trees.
   */
  private static long mapKey(long key) {
    return key * 0x9E3779B97F4A7C15L;
  }

  private static long[] pairKeys(int[] symbols) {
    long[] keys = new long[Math.max(0, symbols.length - 1)];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(symbols[i], symbols[i + 1]);
    }
    Arrays.sort(keys);
    return keys;
  }

  /**
   * An adjacent symbol pair: its weighted count and the words it was ever added in (some may have
   * lost it since).
   */
  private static final class Pair {
    final int left;
    final int right;
    long count;
    IntList words = new IntList();

    Pair(int left, int right) {
      this.left = left;
      this.right = right;
    }

    void add(int word, long occurrences) {
      count += occurrences;
      words.addIfNotLast(word);
    }
  }

  /** A queue entry: the pair's score when queued; stale when the score has changed since. */
  private record QueuedPair(Pair pair, double score) {}

  /**
   * A growable int array without boxing: the word lists of all pairs together hold millions of
   * entries.
   */
  private static final class IntList {
    private int[] values = new int[4];
    private int size;

    void addIfNotLast(int value) {
      if (size > 0 && values[size - 1] == value) {
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
