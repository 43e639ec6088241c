package org.minibert.inference.batch;

/** The batcher's queue is full: the client should retry later (answered 503 with Retry-After). */
public class QueueFullException extends RetryLaterException {
  public QueueFullException(int capacity, int retryAfterSeconds) {
    super(
        "the service is at capacity ("
            + capacity
            + " requests queued); retry in "
            + retryAfterSeconds
            + " s",
        retryAfterSeconds);
  }
}
