package org.minibert.inference.batch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job as the batcher holds it: queued until exactly one of two things happens, atomically. A
 * worker claims it (queued to running): it is then part of a batch and answered by whoever
 * processes that batch, and it keeps what it runs on (its model version) until then. Or it is
 * cancelled (queued to cancelled): its request was refused part way, its deadline passed, or the
 * service stopped; it never runs. A job that runs is never answered as cancelled, and a cancelled
 * one never reaches the model.
 */
public abstract class Batchable {
  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int CANCELLED = 2;

  private final AtomicInteger state = new AtomicInteger(QUEUED);
  private volatile long queuedAt;
  private volatile long claimedAt;
  private volatile ScheduledFuture<?> deadline;

  /** The tokens of this job's input: its batch is padded to its longest input. */
  public abstract int length();

  /**
   * Takes a job that no worker has claimed out of the batcher's hands; false when a worker has it
   * already (it is then answered from its batch) or it was cancelled before.
   */
  public final boolean cancel() {
    return state.compareAndSet(QUEUED, CANCELLED);
  }

  /** Nanoseconds this job waited in the queue before a worker claimed it (0 before). */
  public final long queueNanos() {
    return claimedAt == 0 ? 0 : claimedAt - queuedAt;
  }

  void queued(long now) {
    queuedAt = now;
  }

  void expiresWith(ScheduledFuture<?> timer) {
    deadline = timer;
  }

  /** Queued to running; false when it was cancelled first. */
  final boolean claim() {
    if (!state.compareAndSet(QUEUED, RUNNING)) {
      return false;
    }
    claimedAt = System.nanoTime();
    ScheduledFuture<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
    return true;
  }
}
