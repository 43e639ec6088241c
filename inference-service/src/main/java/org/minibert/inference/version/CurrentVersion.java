package org.minibert.inference.version;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version being served, swapped atomically on hot reload, and why none is served while there is
 * none.
 */
@ApplicationScoped
public class CurrentVersion {
  private final AtomicReference<ServedVersion> current = new AtomicReference<>();
  private volatile String notReadyReason = "starting: no model version loaded yet";

  /**
   * A reference to the current version for one request; the caller must {@link
   * ServedVersion#release()} it.
   *
   * @throws ModelUnavailableException when no version is loaded
   */
  public ServedVersion acquire() {
    while (true) {
      ServedVersion model = current.get();
      if (model == null) {
        throw new ModelUnavailableException("no model is loaded yet (" + notReadyReason + ")");
      }
      if (model.tryAcquire()) {
        return model;
      }
      // closed between the read and the acquire: the next read sees its successor
      Thread.onSpinWait();
    }
  }

  /** The current version without taking a reference (for metadata only), or null. */
  public ServedVersion peek() {
    return current.get();
  }

  /**
   * Installs a loaded version, taking over its loader's reference; the previous one closes once its
   * in-flight requests finish.
   */
  public void swap(ServedVersion next) {
    ServedVersion previous = current.getAndSet(next);
    if (previous != null) {
      previous.release();
    }
  }

  /** Takes the model out of service (shutdown). */
  public void clear(String reason) {
    notReadyReason = reason;
    ServedVersion previous = current.getAndSet(null);
    if (previous != null) {
      previous.release();
    }
  }

  public String notReadyReason() {
    return notReadyReason;
  }

  public void setNotReadyReason(String reason) {
    this.notReadyReason = reason;
  }
}
