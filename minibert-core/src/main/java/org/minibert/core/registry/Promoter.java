package org.minibert.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.minibert.core.io.FileTrees;
import org.minibert.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every move of LATEST: promoting a freshly published version ({@link PromotionPolicy} decides),
 * promoting a chosen version, and rolling back. Each move reads LATEST, decides, and replaces it
 * only if LATEST is still what it read ({@link LatestPointer}); when another writer moved it
 * meanwhile, the decision is taken again on the new LATEST. Then the move is appended to {@link
 * PromotionHistory}.
 */
final class Promoter {
  static final int ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);

  private final StoredVersions stored;
  private final LatestPointer latest;
  private final PromotionHistory history;
  private final Clock clock;

  Promoter(StoredVersions stored, Clock clock) {
    this.stored = stored;
    this.latest = new LatestPointer(stored);
    this.history = new PromotionHistory(stored);
    this.clock = clock;
  }

  /** Promotes a just-published, verified version if {@code promotion} says so. */
  PromotionPolicy.Decision promotePublished(Manifest candidate, Promotion promotion)
      throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LatestPointer.Current current = latest.read();
      PromotionPolicy.Decision decision =
          PromotionPolicy.decide(candidate, promotion, current, stored);
      if (!decision.promote()) {
        return decision;
      }
      if (latest.replace(current, candidate.version())) {
        record(
            candidate.version(),
            PromotionHistory.PUBLISH,
            decision.reason(),
            candidate.createdAt());
        return decision;
      }
      // another publisher moved LATEST after we read it: decide again against the new one
    }
    throw changedTooOften(candidate.version());
  }

  /**
   * Points LATEST at {@code version} after downloading and checking every file of it; returns what
   * happened, in words.
   */
  String promote(String version) throws IOException {
    verify(version);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LatestPointer.Current current = latest.read();
      String reason =
          "promoted "
              + version
              + current.version().map(v -> " (was " + v + ")").orElse(" (LATEST was not set)");
      if (latest.replace(current, version)) {
        record(version, PromotionHistory.PROMOTE, reason, now());
        return reason;
      }
    }
    throw changedTooOften(version);
  }

  /**
   * Points LATEST back at the version promoted before the current one, checked first; returns what
   * happened, in words.
   */
  String rollback() throws IOException {
    String verified = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LatestPointer.Current current = latest.read();
      String from =
          current
              .version()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "nothing to roll back: LATEST of " + stored.model() + " is not set"));
      String target =
          rollbackTarget(from)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "nothing to roll back to: "
                              + ModelLayout.HISTORY
                              + " of "
                              + stored.model()
                              + " names no version promoted before "
                              + from));
      if (!target.equals(verified)) { // a retry after LATEST moved may find the same target
        verify(target);
        verified = target;
      }
      String reason = "rolled back from " + from + " to " + target;
      if (latest.replace(current, target)) {
        record(target, PromotionHistory.ROLLBACK, reason, now());
        return reason;
      }
    }
    throw changedTooOften("the rollback");
  }

  /**
   * Where a rollback from {@code current} would go: by the history, the newest version promoted
   * before it that is still in the store (has its manifest).
   */
  Optional<String> rollbackTarget(String current) throws IOException {
    for (String candidate : PromotionHistory.rollbackCandidates(history.entries(), current)) {
      if (VersionId.isValid(candidate)
          && stored.store().getBytes(stored.manifestKey(candidate)).isPresent()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The current LATEST, read tolerantly. */
  LatestPointer.Current current() throws IOException {
    return latest.read();
  }

  private void verify(String version) throws IOException {
    Manifest manifest = stored.manifest(version);
    Path scratch = Files.createTempDirectory("minibert-verify-");
    try {
      stored.downloadVerified(manifest, scratch);
    } finally {
      FileTrees.deleteRecursively(scratch);
    }
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Appends the move to the history. LATEST has moved already, so a failure here is a warning, not
   * a failed command.
   */
  private void record(String version, String action, String reason, String at) {
    try {
      history.append(new PromotionHistory.Entry(version, at, action, reason));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "LATEST moved to {}, but {} was not updated: {}", version, history.key(), e.getMessage());
    }
  }

  private StoreException changedTooOften(String what) {
    return new StoreException(
        stored.location(latest.key())
            + " changed "
            + ATTEMPTS
            + " times while promoting "
            + what
            + " (other publishers at work); LATEST was left to them, try again");
  }

  /** The versions a prune must keep whatever their age: LATEST and the rollback target. */
  List<String> protectedVersions() throws IOException {
    LatestPointer.Current current = latest.read();
    if (current.version().isEmpty()) {
      return List.of();
    }
    Optional<String> target;
    try {
      target = rollbackTarget(current.version().get());
    } catch (StoreException unreadableHistory) {
      throw new StoreException(
          unreadableHistory.getMessage() + ": cannot tell the rollback target, so nothing pruned",
          unreadableHistory);
    }
    return target.isPresent()
        ? List.of(current.version().get(), target.get())
        : List.of(current.version().get());
  }
}
