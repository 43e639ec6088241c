package org.minibert.inference.version;

/** No model is loaded yet (answered 503 with Retry-After); the message says why. */
public class ModelUnavailableException extends RuntimeException {
  public ModelUnavailableException(String reason) {
    super(reason);
  }
}
