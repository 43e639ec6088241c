package org.minibert.inference.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Splits a batch into runs of similar length (sorted, each run's longest input at most a quarter
 * longer than its shortest, plus 2 tokens): every input is padded to the longest of its run, and on
 * CPU padding costs as much as real tokens while batching saves little, so one run with a 10-token
 * and a 60-token input would waste most of it.
 */
public final class LengthBuckets {
  private LengthBuckets() {}

  /** The runs, shortest first; each run is one model call. */
  public static <J> List<List<J>> split(List<J> jobs, ToIntFunction<? super J> length) {
    List<J> sorted = new ArrayList<>(jobs);
    sorted.sort(Comparator.comparingInt(length));
    List<List<J>> runs = new ArrayList<>();
    List<J> run = new ArrayList<>();
    int shortest = 0;
    for (J job : sorted) {
      int tokens = length.applyAsInt(job);
      if (!run.isEmpty() && tokens > shortest + Math.max(2, shortest / 4)) {
        runs.add(run);
        run = new ArrayList<>();
      }
      if (run.isEmpty()) {
        shortest = tokens;
      }
      run.add(job);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }
}
