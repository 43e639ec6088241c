package org.minibert.inference.batch;

/**
 * A request asks for more of the queue than one request may take now (its inputs beyond {@code
 * minibert.limits.max-queue-share} of the free places): answered 429 with Retry-After, so that
 * meshes that retry a 503 do not amplify the overload.
 */
public class QueueShareException extends RetryLaterException {
  public QueueShareException(int inputs, int free, double share, int retryAfterSeconds) {
    super(
        "too many requests: this request's "
            + inputs
            + " input(s) are more than "
            + share
            + " of the "
            + free
            + " free places of the queue (minibert.limits.max-queue-share); retry in "
            + retryAfterSeconds
            + " s or send fewer inputs at once",
        retryAfterSeconds);
  }
}
