package org.minibert.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Next-sentence-prediction pairs as google-research/bert's {@code create_pretraining_data.py} makes
 * them ({@code create_instances_from_document}): each document draws one target length ({@code
 * maxSeqLen - 3}, or with probability {@code shortSeqProb} a random shorter one); its sentences are
 * packed into chunks up to that length; a random cut between two sentences splits a chunk into A
 * and B; B is replaced by text from another document half of the time, and always when the chunk
 * holds a single sentence; the pair is truncated to fit by trimming the longer side from a random
 * end.
 *
 * <p>A and B are always whole sentences before truncation: a sentence is never cut to make an
 * "actual next" B, so where A ends tells nothing about the label.
 */
final class SentencePairGenerator implements InstanceGenerator {
  /** Attempts to find a document other than the current one for a random next segment. */
  private static final int RANDOM_DOCUMENT_TRIES = 10;

  private final int maxSeqLen;
  private final double shortSeqProb;

  SentencePairGenerator(int maxSeqLen, double shortSeqProb) {
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
  }

  @Override
  public boolean makesPairs() {
    return true;
  }

  @Override
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
    // once per document, as in BERT: a document either fills its sequences or makes short ones
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
        i -= emitPair(split, doc, chunk, chunkLength, targetLength, random, out);
        chunk.clear();
        chunkLength = 0;
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
      SplittableRandom random,
      Instances out) {
    int aEnd = chunk.size() >= 2 ? random.nextInt(1, chunk.size()) : 1;
    long aStart = split.sentenceStart(chunk.get(0));
    int aLength = rangeLength(split, chunk.get(0), aEnd);
    boolean randomNext = chunk.size() == 1 || random.nextDouble() < 0.5;
    long bStart;
    int bLength;
    int unused = 0;
    if (randomNext) {
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
      bStart = aStart + aLength;
      bLength = chunkLength - aLength;
    }

    // Truncate the longer side from a random end until the pair fits, as BERT's truncate_seq_pair.
    int maxTokens = maxSeqLen - 3;
    while (aLength + bLength > maxTokens) {
      boolean trimA = aLength > bLength;
      boolean front = random.nextDouble() < 0.5;
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

  private static int rangeLength(TokenizedSplit split, long firstSentence, int count) {
    return Math.toIntExact(
        split.sentenceStart(firstSentence + count) - split.sentenceStart(firstSentence));
  }

  /**
   * A random document other than {@code doc}; {@code doc} itself when ten draws found none (a split
   * of one document), as in BERT.
   */
  private static int otherDocument(TokenizedSplit split, int doc, SplittableRandom random) {
    int other = doc;
    for (int t = 0; t < RANDOM_DOCUMENT_TRIES && other == doc; t++) {
      other = random.nextInt(split.documentCount());
    }
    return other;
  }
}
