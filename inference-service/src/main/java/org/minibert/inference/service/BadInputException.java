package org.minibert.inference.service;

/**
 * A request the service cannot answer as asked; the message is the problem's {@code detail}
 * (answered 400).
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String detail) {
    super(detail);
  }
}
