package org.minibert.inference.batch;

/**
 * The service is shutting down and takes no new work (answered 503 with Retry-After, so that the
 * client retries on another replica).
 */
public class ShuttingDownException extends RetryLaterException {
  public ShuttingDownException(int retryAfterSeconds) {
    super("the service is shutting down; retry in " + retryAfterSeconds + " s", retryAfterSeconds);
  }
}
