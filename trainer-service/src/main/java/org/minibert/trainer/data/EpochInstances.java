package org.minibert.trainer.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sentence-pair instances of a split, drawn anew for every epoch: new A/B cuts, new "random
 * next" partners and new short sequences, as BERT's {@code dupe_factor} made several pairings of
 * the same text (here without storing them: an epoch's instances are a function of (seed, epoch),
 * generated when first asked for).
 *
 * <p>The steps per epoch must be known before the run starts (the learning-rate schedule spans the
 * run), so every epoch takes as many instances as epoch 0 made: its own instances in a seeded
 * order, the first of them again when it made fewer (the counts differ by a fraction of a percent),
 * the surplus left out when it made more.
 *
 * <p>Safe to use from the training thread and the batch prefetcher at once.
 */
public final class EpochInstances {
  /**
   * Epochs kept generated: the one being trained and the next, which the prefetcher may already be
   * building.
   */
  private static final int CACHED_EPOCHS = 2;

  private final InstanceGenerator generator;
  private final TokenizedSplit split;
  private final long seed;
  private final boolean fresh;
  private final Instances first;
  private final Map<Integer, Instances> cache = new LinkedHashMap<>();

  /**
   * @param fresh new pairs every epoch; false keeps epoch 0's pairs for the whole run (validation,
   *     static masking)
   */
  public EpochInstances(
      InstanceGenerator generator, TokenizedSplit split, long seed, boolean fresh) {
    this.generator = generator;
    this.split = split;
    this.seed = seed;
    this.fresh = fresh;
    this.first = split.documentCount() == 0 ? new Instances() : generator.generate(split, seed);
  }

  /** Whether the instances are sentence pairs with a next-sentence label. */
  public boolean pairs() {
    return generator.makesPairs();
  }

  /** Instances every epoch trains on. */
  public int perEpoch() {
    return first.size();
  }

  /** The instances of an epoch (ids as {@link #order} gives them). */
  public synchronized Instances forEpoch(int epoch) {
    if (epoch == 0 || !fresh) {
      return first;
    }
    Instances instances = cache.get(epoch);
    if (instances == null) {
      instances = generator.generate(split, seedOfEpoch(epoch));
      cache.put(epoch, instances);
      while (cache.size() > CACHED_EPOCHS) {
        cache.remove(cache.keySet().iterator().next());
      }
    }
    return instances;
  }

  /**
   * The epoch's {@link #perEpoch()} instance ids in training order: a seeded permutation of that
   * epoch's instances, different every epoch.
   */
  public int[] order(int epoch) {
    int available = forEpoch(epoch).size();
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
    int[] order = Shuffle.permutation(available, random);
    if (available >= perEpoch()) {
      return Arrays.copyOf(order, perEpoch());
    }
    int[] topped = Arrays.copyOf(order, perEpoch());
    for (int i = available; i < topped.length; i++) {
      topped[i] = order[(i - available) % available];
    }
    return topped;
  }

  private long seedOfEpoch(int epoch) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    return h ^ (h >>> 29);
  }
}
