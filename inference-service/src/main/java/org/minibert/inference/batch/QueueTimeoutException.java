package org.minibert.inference.batch;

import java.time.Duration;

/**
 * A request was still queued at its deadline ({@code minibert.request-timeout}): answered 503 with
 * Retry-After at once rather than computed late.
 */
public class QueueTimeoutException extends RetryLaterException {
  public QueueTimeoutException(Duration timeout, int retryAfterSeconds) {
    super(
        "the service is overloaded: the request waited "
            + timeout.toMillis()
            + " ms in the queue without reaching the model; retry in "
            + retryAfterSeconds
            + " s",
        retryAfterSeconds);
  }
}
