package org.minibert.inference.batch;

/**
 * The service cannot take this request now; the client may retry (answered 503 with Retry-After).
 */
public class RetryLaterException extends RuntimeException {
  private final int retryAfterSeconds;

  public RetryLaterException(String message, int retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
