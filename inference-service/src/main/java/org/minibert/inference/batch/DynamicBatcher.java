package org.minibert.inference.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Groups concurrent requests into batches: a bounded queue, drained by worker threads into batches
 * bounded by a request count ({@code maxSize}) and by a token budget ({@code maxBatchTokens}: the
 * batch's size times its longest input, the padded tokens one model call computes), as Hugging Face
 * text-embeddings-inference does. A job that would break the budget starts the next batch (a job
 * alone over the budget runs alone). A batch closes when it is full, {@code maxDelay} after its
 * first job, or after a lull of {@code maxDelay / 4}; while requests come one at a time (the last
 * batch had one) a lone request does not wait at all.
 *
 * <p>{@link #submitAll} never blocks and queues all of a request's jobs or none: a full queue
 * cancels the ones it had queued and throws {@link QueueFullException}. Workers claim each job
 * atomically ({@link Batchable}), so a job is either run or cancelled, never both. A job still
 * queued {@code queueTimeout} after it was submitted is cancelled and failed with {@link
 * QueueTimeoutException} at once. The processor answers every job of the batch it is handed; an
 * exception it throws is reported to each job through {@code onFailure}, which also fails the jobs
 * the batcher cancels.
 *
 * <p>{@link #stopAccepting} refuses new jobs with {@link ShuttingDownException}; {@link #close}
 * then lets the workers finish the queue (up to {@code drainTimeout}) before it stops them.
 *
 * @param <J> the job type
 */
public final class DynamicBatcher<J extends Batchable> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

  /** The batcher's limits and timings. */
  public record Settings(
      int capacity,
      int maxSize,
      int maxBatchTokens,
      Duration maxDelay,
      int workers,
      int retryAfterSeconds,
      Duration queueTimeout,
      double maxQueueShare) {
    /** Settings where one request may take the whole queue. */
    public Settings(
        int capacity,
        int maxSize,
        int maxBatchTokens,
        Duration maxDelay,
        int workers,
        int retryAfterSeconds,
        Duration queueTimeout) {
      this(
          capacity, maxSize, maxBatchTokens, maxDelay, workers, retryAfterSeconds, queueTimeout, 1);
    }

    public Settings {
      if (!(maxQueueShare > 0 && maxQueueShare <= 1)) {
        throw new IllegalArgumentException("the largest queue share must be in (0, 1]");
      }
      if (capacity < 1 || maxSize < 1 || maxBatchTokens < 1 || workers < 1) {
        throw new IllegalArgumentException(
            "batcher needs capacity, max size, max batch tokens and workers >= 1");
      }
      if (maxDelay.isNegative() || queueTimeout.isNegative() || queueTimeout.isZero()) {
        throw new IllegalArgumentException("batcher needs a delay >= 0 and a queue timeout > 0");
      }
    }
  }

  /** What the batcher tells its observer (metrics). */
  public interface Listener {
    /** A batch was formed: its jobs and its padded tokens (size times longest input). */
    void batchFormed(int size, int paddedTokens);
  }

  /** Fails one job. */
  public interface FailureHandler<J> {
    void fail(J job, Throwable cause);
  }

  private final BlockingQueue<J> queue;
  private final Settings settings;
  private final Consumer<List<J>> processor;
  private final FailureHandler<J> onFailure;
  private final Listener listener;
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledThreadPoolExecutor deadlines;

  /** Held while a request is checked and queued (see {@link #submitAll}). */
  private final Object admission = new Object();

  /** Jobs claimed by a worker and not yet processed (a drain waits for them). */
  private final AtomicInteger inHand = new AtomicInteger();

  private volatile boolean accepting = true;
  private volatile boolean running = true;

  /**
   * Size of the last batch run: 1 means requests come one at a time, and waiting for company only
   * adds latency.
   */
  private volatile int lastBatchSize = 1;

  public DynamicBatcher(
      String name,
      Settings settings,
      Consumer<List<J>> processor,
      FailureHandler<J> onFailure,
      Listener listener) {
    this.queue = new ArrayBlockingQueue<>(settings.capacity());
    this.settings = settings;
    this.processor = processor;
    this.onFailure = onFailure;
    this.listener = listener;
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, name + "-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    deadlines.setRemoveOnCancelPolicy(true);
    for (int i = 0; i < settings.workers(); i++) {
      Thread worker = new Thread(this::work, name + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /** Queues one job (see {@link #submitAll}). */
  public void submit(J job) {
    submitAll(List.of(job));
  }

  /**
   * Refuses a request of {@code inputs} jobs that would take more than {@code maxQueueShare} of the
   * queue's free places: many-input requests are turned away while the queue still has room for
   * small ones, and a request of one input is taken until the queue is nearly full. A share of 1
   * lets one request take the whole queue: no check, a full queue is {@link QueueFullException}.
   * Cheap; callers may ask before they tokenize ({@link #submitAll} asks again).
   *
   * @throws QueueShareException when the request asks for too much of the queue now
   */
  public void checkShare(int inputs) {
    if (settings.maxQueueShare() >= 1) {
      return;
    }
    int free = queue.remainingCapacity();
    if (inputs > settings.maxQueueShare() * free) {
      throw new QueueShareException(
          inputs, free, settings.maxQueueShare(), settings.retryAfterSeconds());
    }
  }

  /**
   * Queues all jobs of one request, or none: when the queue fills part way (or the batcher stops
   * accepting), every job of the request that no worker has claimed is cancelled and failed with
   * the exception that is thrown; those a worker claimed already are answered from their batch.
   *
   * @throws QueueShareException when the request would take too much of the queue ({@link
   *     #checkShare})
   * @throws QueueFullException when the queue is full
   * @throws ShuttingDownException after {@link #stopAccepting}
   */
  public void submitAll(List<? extends J> jobs) {
    if (!accepting) {
      throw refuse(jobs, new ShuttingDownException(settings.retryAfterSeconds()));
    }
    RetryLaterException refusal = null;
    // the share check and the queueing under one lock: requests admitted side by side cannot fill
    // the queue beyond what each was admitted for (workers taking jobs only free places)
    synchronized (admission) {
      try {
        checkShare(jobs.size());
      } catch (QueueShareException e) {
        refusal = e;
      }
      long now = System.nanoTime();
      for (int i = 0; refusal == null && i < jobs.size(); i++) {
        J job = jobs.get(i);
        job.queued(now);
        if (!queue.offer(job)) {
          refusal = new QueueFullException(settings.capacity(), settings.retryAfterSeconds());
          break;
        }
        job.expiresWith(
            deadlines.schedule(
                () ->
                    withdraw(
                        job,
                        new QueueTimeoutException(
                            settings.queueTimeout(), settings.retryAfterSeconds())),
                settings.queueTimeout().toNanos(),
                TimeUnit.NANOSECONDS));
      }
    }
    if (refusal != null) {
      throw refuse(jobs, refusal);
    }
  }

  /** Withdraws every job of a refused request that no worker has claimed; returns the cause. */
  private RetryLaterException refuse(List<? extends J> jobs, RetryLaterException cause) {
    for (J job : jobs) {
      withdraw(job, cause);
    }
    return cause;
  }

  /** Cancels a job no worker has claimed, takes it out of the queue and fails it. */
  private void withdraw(J job, RuntimeException cause) {
    if (job.cancel()) {
      queue.remove(job);
      onFailure.fail(job, cause);
    }
  }

  /** Jobs waiting for a batch. */
  public int queueDepth() {
    return queue.size();
  }

  private void work() {
    List<J> batch = new ArrayList<>(settings.maxSize());
    J next = null; // claimed, but over the last batch's budget: it starts the next one
    while (running) {
      try {
        J first = next != null ? next : claimNext(100_000_000L);
        next = null;
        if (first == null) {
          continue;
        }
        batch.add(first);
        int longest = first.length();
        long maxDelayNanos = settings.maxDelay().toNanos();
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < settings.maxSize()) {
          // take what is already there without waiting, then wait for more: until the deadline,
          // or until a lull (no arrival for a quarter of the delay), so that clients already
          // waiting are not held for nothing
          J job = claimNext(0);
          if (job == null) {
            if (lastBatchSize <= 1 && batch.size() == 1) {
              break; // requests arrive one at a time: serve this one now
            }
            long left = Math.min(deadline - System.nanoTime(), maxDelayNanos / 4);
            if (left <= 0 || (job = claimNext(left)) == null) {
              break;
            }
          }
          int longestWith = Math.max(longest, job.length());
          if ((batch.size() + 1L) * longestWith > settings.maxBatchTokens()) {
            next = job;
            break;
          }
          batch.add(job);
          longest = longestWith;
        }
        listener.batchFormed(batch.size(), batch.size() * longest);
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        inHand.addAndGet(-batch.size());
        batch.clear();
      }
    }
    if (next != null) {
      inHand.decrementAndGet();
      onFailure.fail(next, new ShuttingDownException(settings.retryAfterSeconds()));
    }
  }

  /**
   * The next queued job this worker claims, waiting up to {@code waitNanos}; null when none came.
   */
  private J claimNext(long waitNanos) throws InterruptedException {
    long until = System.nanoTime() + waitNanos;
    while (true) {
      long left = until - System.nanoTime();
      J job = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      if (job == null) {
        return null;
      }
      inHand.incrementAndGet();
      if (job.claim()) {
        return job;
      }
      inHand.decrementAndGet(); // cancelled while queued: whoever cancelled it answers it
    }
  }

  private void run(List<J> batch) {
    lastBatchSize = batch.size();
    try {
      processor.accept(List.copyOf(batch));
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "a batch of %d failed", batch.size());
      for (J job : batch) {
        onFailure.fail(job, e);
      }
    }
  }

  /** Refuses new jobs from now on ({@link ShuttingDownException}); queued ones still run. */
  public void stopAccepting() {
    accepting = false;
  }

  /**
   * Refuses new jobs, lets the workers finish the queued and running ones for up to {@code
   * drainTimeout}, then stops them; jobs still queued after that are failed with {@link
   * ShuttingDownException} (a 503, never a 500).
   */
  public void close(Duration drainTimeout) {
    stopAccepting();
    long until = System.nanoTime() + drainTimeout.toNanos();
    while ((!queue.isEmpty() || inHand.get() > 0) && System.nanoTime() < until) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    running = false;
    for (Thread worker : workers) {
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deadlines.shutdownNow();
    List<J> left = new ArrayList<>();
    queue.drainTo(left);
    for (J job : left) {
      if (job.cancel()) {
        onFailure.fail(job, new ShuttingDownException(settings.retryAfterSeconds()));
      }
    }
  }

  /** {@link #close(Duration)} with a drain of up to 5 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
