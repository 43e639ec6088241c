package org.minibert.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds next-sentence-prediction pairs the way the original BERT's {@code
 * create_pretraining_data.py} does: sentences of a document are packed into a chunk up to a target
 * length ({@code maxSeqLen - 3}, or with probability {@code shortSeqProb} a random shorter one); a
 * random cut splits the chunk into A and B; half of the time B is replaced by text from another
 * document; the pair is truncated to fit by trimming the longer side from a random end.
 *
 * <p>One deliberate difference keeps the NSP labels balanced: BERT forces a "random next" whenever
 * a chunk holds a single sentence, which skews the labels on short documents and long sentences.
 * Here the label is always a fair coin; an "actual next" pair from a one-sentence chunk takes the
 * following sentence of the document when there is one, or splits the sentence itself at a random
 * word start (the rest of a sentence really does follow its start). Only at a word start: a cut
 * inside a word would start B with a {@code ##} piece, which no "random next" B ever does, and the
 * model would read the label off that piece.
 */
public final class InstanceGenerator {
  /** Attempts to find a document other than the current one for a random next segment. */
  private static final int RANDOM_DOCUMENT_TRIES = 10;

  private final int maxSeqLen;
  private final double shortSeqProb;
  private final boolean[] continuation;

  /**
   * @param continuation for each token id, whether it is a {@code ##} continuation piece (a
   *     sentence is only cut before a word start)
   */
  public InstanceGenerator(int maxSeqLen, double shortSeqProb, boolean[] continuation) {
    if (maxSeqLen < 5) {
      throw new IllegalArgumentException(
          "max sequence length " + maxSeqLen + " is too short: at least 5 ([CLS] A [SEP] B [SEP])");
    }
    if (shortSeqProb < 0 || shortSeqProb > 1) {
      throw new IllegalArgumentException(
          "short sequence probability must be in [0, 1], got " + shortSeqProb);
    }
    this.maxSeqLen = maxSeqLen;
    this.shortSeqProb = shortSeqProb;
    this.continuation = continuation;
  }

  public Instances generate(TokenizedSplit split, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Instances instances = new Instances();
    for (int doc = 0; doc < split.documentCount(); doc++) {
      generateFromDocument(split, doc, random, instances);
    }
    return instances;
  }

  private void generateFromDocument(
      TokenizedSplit split, int doc, SplittableRandom random, Instances out) {
    int maxTokens = maxSeqLen - 3;
    int targetLength =
        random.nextDouble() < shortSeqProb ? random.nextInt(2, maxTokens + 1) : maxTokens;
    long first = split.firstSentence(doc);
    int sentences = split.sentenceCount(doc);

    List<Long> chunk = new ArrayList<>();
    int chunkLength = 0;
    int i = 0;
    while (i < sentences) {
      long sentence = first + i;
      chunk.add(sentence);
      chunkLength += split.sentenceLength(sentence);
      if (i == sentences - 1 || chunkLength >= targetLength) {
        int unused =
            emitPair(split, doc, chunk, chunkLength, targetLength, first + sentences, random, out);
        i -= unused;
        chunk.clear();
        chunkLength = 0;
        targetLength =
            random.nextDouble() < shortSeqProb ? random.nextInt(2, maxTokens + 1) : maxTokens;
      }
      i++;
    }
  }

  /**
   * Emits one pair from a chunk of sentences; returns how many sentences at the end of the chunk
   * were not used (they are put back to start the next chunk, as in BERT).
   */
  private int emitPair(
      TokenizedSplit split,
      int doc,
      List<Long> chunk,
      int chunkLength,
      int targetLength,
      long docEnd,
      SplittableRandom random,
      Instances out) {
    boolean randomNext = random.nextBoolean();
    long aStart = split.sentenceStart(chunk.get(0));
    int aEnd = chunk.size() >= 2 ? random.nextInt(1, chunk.size()) : 1;
    int aLength = rangeLength(split, chunk.get(0), aEnd);
    long bStart;
    int bLength;
    int unused = 0;

    if (randomNext && split.documentCount() > 1) {
      int other = otherDocument(split, doc, random);
      int targetB = Math.max(1, targetLength - aLength);
      long otherFirst = split.firstSentence(other);
      long sentence = otherFirst + random.nextInt(split.sentenceCount(other));
      long otherEnd = otherFirst + split.sentenceCount(other);
      bStart = split.sentenceStart(sentence);
      bLength = 0;
      for (; sentence < otherEnd && bLength < targetB; sentence++) {
        bLength += split.sentenceLength(sentence);
      }
      unused = chunk.size() - aEnd;
    } else {
      randomNext = false;
      if (chunk.size() >= 2) {
        bStart = aStart + aLength;
        bLength = chunkLength - aLength;
      } else {
        long next = chunk.get(0) + 1;
        if (next < docEnd) {
          bStart = split.sentenceStart(next);
          bLength = split.sentenceLength(next);
        } else {
          int cut = randomWordStart(split, aStart, aLength, random);
          if (cut < 0) {
            return 0; // a one-word, one-sentence document: no pair to make
          }
          bStart = aStart + cut;
          bLength = aLength - cut;
          aLength = cut;
        }
      }
    }

    // Truncate the longer side from a random end until the pair fits, as BERT's truncate_seq_pair.
    int maxTokens = maxSeqLen - 3;
    while (aLength + bLength > maxTokens) {
      boolean trimA = aLength > bLength;
      boolean front = random.nextBoolean();
      if (trimA) {
        if (front) {
          aStart++;
        }
        aLength--;
      } else {
        if (front) {
          bStart++;
        }
        bLength--;
      }
    }
    out.add(aStart, aLength, bStart, bLength, randomNext);
    return unused;
  }

  /**
   * A random offset in (0, length) of a token that starts a word, or -1 when the range is a single
   * word.
   */
  private int randomWordStart(
      TokenizedSplit split, long start, int length, SplittableRandom random) {
    int[] tokens = new int[length];
    split.copyTokens(start, length, tokens, 0);
    int[] starts = new int[length];
    int count = 0;
    for (int i = 1; i < length; i++) {
      if (!continuation[tokens[i]]) {
        starts[count++] = i;
      }
    }
    return count == 0 ? -1 : starts[random.nextInt(count)];
  }

  private static int rangeLength(TokenizedSplit split, long firstSentence, int count) {
    return Math.toIntExact(
        split.sentenceStart(firstSentence + count) - split.sentenceStart(firstSentence));
  }

  private static int otherDocument(TokenizedSplit split, int doc, SplittableRandom random) {
    int other = doc;
    for (int t = 0; t < RANDOM_DOCUMENT_TRIES && other == doc; t++) {
      other = random.nextInt(split.documentCount());
    }
    return other == doc ? (doc + 1) % split.documentCount() : other;
  }
}
