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

  /** The ids deleted, oldest first. */
  List<String> prune(int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be at least 1, got " + keep);
    }
    Set<String> kept = new TreeSet<>(promoter.protectedVersions());
    List<VersionInfo> versions = stored.versions(); // oldest first
    for (int i = Math.max(0, versions.size() - keep); i < versions.size(); i++) {
      kept.add(versions.get(i).id());
    }
    List<String> deleted = new ArrayList<>();
    for (VersionInfo v : versions) {
      if (!kept.contains(v.id())) {
        delete(v.id());
        deleted.add(v.id());
      }
    }
    return deleted;
  }

  private void delete(String version) throws IOException {
    String prefix = ModelLayout.versionPrefix(stored.model(), version);
    stored.store().delete(prefix + ModelLayout.MANIFEST_JSON);
    for (String key : stored.store().list(prefix)) {
      stored.store().delete(key);
    }
  }
}
