package org.minibert.core.store;

import java.io.IOException;

/**
 * A store operation failed; the message is one line naming the store and the cause a user can act
 * on.
 */
public class StoreException extends IOException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
