package org.minibert.trainer.data;

/**
 * {@code [CLS] text [SEP]} instances for masked LM alone: a document's consecutive sentences packed
 * into sequences of up to {@code maxSeqLen - 2} tokens (RoBERTa's "doc-sentences"; Cramming and
 * MosaicBERT likewise train on one segment filling the sequence). A sentence that does not fit the
 * rest of a sequence starts the next one; a sentence longer than a sequence is split across
 * sequences. Sequences never span two documents. The same for every seed: only the masks change
 * from epoch to epoch.
 */
final class ContiguousTextGenerator implements InstanceGenerator {
  private final int maxTokens;

  ContiguousTextGenerator(int maxSeqLen) {
    if (maxSeqLen < 3) {
      throw new IllegalArgumentException(
          "max sequence length " + maxSeqLen + " is too short: at least 3 ([CLS] text [SEP])");
    }
    this.maxTokens = maxSeqLen - 2;
  }

  @Override
  public boolean makesPairs() {
    return false;
  }

  @Override
  public Instances generate(TokenizedSplit split, long seed) {
    Instances instances = new Instances();
    for (int doc = 0; doc < split.documentCount(); doc++) {
      long first = split.firstSentence(doc);
      long end = first + split.sentenceCount(doc);
      long chunkStart = split.sentenceStart(first);
      for (long sentence = first; sentence < end; sentence++) {
        long sentenceEnd = split.sentenceStart(sentence + 1);
        if (sentenceEnd - chunkStart <= maxTokens) {
          continue; // the sentence fits the sequence being filled
        }
        long sentenceStart = split.sentenceStart(sentence);
        if (sentenceStart > chunkStart) {
          emit(instances, chunkStart, sentenceStart);
          chunkStart = sentenceStart;
        }
        while (sentenceEnd - chunkStart > maxTokens) {
          emit(instances, chunkStart, chunkStart + maxTokens);
          chunkStart += maxTokens;
        }
      }
      long docEnd = split.sentenceStart(end);
      if (docEnd > chunkStart) {
        emit(instances, chunkStart, docEnd);
      }
    }
    return instances;
  }

  private static void emit(Instances instances, long start, long end) {
    instances.addSingle(start, Math.toIntExact(end - start));
  }
}
