package org.minibert.inference.service;

/**
 * The model failed on one input, run alone (answered 500; the message is the problem's {@code
 * detail}).
 */
public class InferenceFailedException extends RuntimeException {
  public InferenceFailedException(String detail, Throwable cause) {
    super(detail, cause);
  }
}
