package org.minibert.inference.api;

/**
 * A request the API layer refuses before it reaches the model (body too large, bad encoding ...).
 */
public class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
