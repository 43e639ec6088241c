package org.minibert.core.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code models prune --keep N}: deletes all but the N newest versions, never LATEST nor the
 * version a rollback would return to. A version's manifest goes first, so a prune interrupted
 * half-way leaves a version that lists as incomplete, never one that looks complete with files
 * missing.
 */
final class VersionPruner {
  private final StoredVersions stored;
  private final Promoter promoter;

  VersionPruner(StoredVersions stored, Promoter promoter) {
    this.stored = stored;
    this.promoter = promoter;
  }

  /**
   * The ids deleted, oldest first. Under the registry lock (which every move of LATEST takes): what
   * LATEST and the rollback target are, and the deletion of each pruned version's manifest, which
   * takes it out of reach of a promote or rollback. The rest of its files go after the lock is
   * handed back.
   */
  List<String> prune(int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be at least 1, got " + keep);
    }
    List<String> deleted = new ArrayList<>();
    try (RegistryLock.Held held = promoter.lock().acquire()) {
      Set<String> kept = new TreeSet<>(promoter.protectedVersions());
      List<VersionInfo> versions = stored.versions(); // oldest first
      for (int i = Math.max(0, versions.size() - keep); i < versions.size(); i++) {
        kept.add(versions.get(i).id());
      }
      for (VersionInfo v : versions) {
        if (!kept.contains(v.id())) {
          stored.store().delete(stored.manifestKey(v.id()));
          deleted.add(v.id());
        }
      }
    }
    for (String version : deleted) {
      for (String key : stored.store().list(ModelLayout.versionPrefix(stored.model(), version))) {
        stored.store().delete(key);
      }
    }
    return deleted;
  }
}
