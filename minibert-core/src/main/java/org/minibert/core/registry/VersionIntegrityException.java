package org.minibert.core.registry;

import org.minibert.core.store.StoreException;

/**
 * The store's copy of a version is not what its manifest says: a file with another checksum, or
 * more or fewer bytes than declared. Unlike a timeout or an unreachable store, trying again at once
 * is unlikely to help.
 */
public class VersionIntegrityException extends StoreException {
  public VersionIntegrityException(String message) {
    super(message);
  }
}
