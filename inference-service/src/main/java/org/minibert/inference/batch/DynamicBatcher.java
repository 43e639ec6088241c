package org.minibert.inference.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Groups concurrent requests into batches: a bounded queue, drained by worker threads into batches
 * of at most {@code maxSize} jobs, each batch closed when it is full, {@code maxDelay} after its
 * first job arrived, or after a lull of {@code maxDelay / 4} without a new arrival; while requests
 * come one at a time (the last batch had one) a lone request does not wait at all. Requests that
 * arrive while a batch runs wait in the queue and form the next batch at once.
 *
 * <p>{@link #submit} never blocks: a full queue throws {@link QueueFullException} at once. The
 * processor completes or fails every job of the batch it is handed; an exception it throws is
 * reported to each job through {@code onFailure}.
 *
 * @param <J> the job type
 */
public final class DynamicBatcher<J> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

  /** What the batcher tells its observer (metrics). */
  public interface Listener {
    void batchRun(int size, long nanos);
  }

  /** Fails one job. */
  public interface FailureHandler<J> {
    void fail(J job, Throwable cause);
  }

  private final BlockingQueue<J> queue;
  private final int capacity;
  private final int retryAfterSeconds;
  private final int maxSize;
  private final long maxDelayNanos;
  private final Consumer<List<J>> processor;
  private final FailureHandler<J> onFailure;
  private final Listener listener;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * Size of the last batch run: 1 means requests come one at a time, and waiting for company only
   * adds latency.
   */
  private volatile int lastBatchSize = 1;

  public DynamicBatcher(
      String name,
      int capacity,
      int maxSize,
      Duration maxDelay,
      int workerCount,
      int retryAfterSeconds,
      Consumer<List<J>> processor,
      FailureHandler<J> onFailure,
      Listener listener) {
    if (capacity < 1 || maxSize < 1 || workerCount < 1 || maxDelay.isNegative()) {
      throw new IllegalArgumentException(
          "batcher needs capacity, max size and workers >= 1 and a delay >= 0");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.retryAfterSeconds = retryAfterSeconds;
    this.maxSize = maxSize;
    this.maxDelayNanos = maxDelay.toNanos();
    this.processor = processor;
    this.onFailure = onFailure;
    this.listener = listener;
    for (int i = 0; i < workerCount; i++) {
      Thread worker = new Thread(this::work, name + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /** Queues a job, or throws {@link QueueFullException} when the queue is full. */
  public void submit(J job) {
    if (!running) {
      throw new IllegalStateException("the service is shutting down");
    }
    if (!queue.offer(job)) {
      throw new QueueFullException(capacity, retryAfterSeconds);
    }
  }

  /** Jobs waiting for a batch. */
  public int queueDepth() {
    return queue.size();
  }

  private void work() {
    List<J> batch = new ArrayList<>(maxSize);
    while (running) {
      try {
        J first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxSize) {
          // take what is already there without waiting, then wait for more: until the deadline, or
          // until a lull
          // (no arrival for a quarter of the delay), so that clients already waiting are not held
          // for nothing
          if (queue.drainTo(batch, maxSize - batch.size()) > 0) {
            continue;
          }
          if (lastBatchSize <= 1 && batch.size() == 1) {
            break; // requests arrive one at a time: serve this one now
          }
          long left = Math.min(deadline - System.nanoTime(), maxDelayNanos / 4);
          if (left <= 0) {
            break;
          }
          J next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
  }

  private void run(List<J> batch) {
    lastBatchSize = batch.size();
    long start = System.nanoTime();
    try {
      processor.accept(List.copyOf(batch));
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "a batch of %d failed", batch.size());
      for (J job : batch) {
        onFailure.fail(job, e);
      }
    }
    listener.batchRun(batch.size(), System.nanoTime() - start);
  }

  /** Stops the workers; jobs still queued are failed. */
  @Override
  public void close() {
    running = false;
    for (Thread worker : workers) {
      worker.interrupt();
    }
    for (Thread worker : workers) {
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<J> left = new ArrayList<>();
    queue.drainTo(left);
    for (J job : left) {
      onFailure.fail(job, new IllegalStateException("the service is shutting down"));
    }
  }
}
