package org.minibert.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * PromotionHistory}. All of that runs under the {@link RegistryLock}, which a prune takes too: the
 * target's manifest is checked under it right before LATEST moves, so a prune cannot delete what
 * becomes LATEST, and HISTORY.json lists the moves in the order LATEST took them.
 */
final class Promoter {
  static final int ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);

  private final StoredVersions stored;
  private final LatestPointer latest;
  private final PromotionHistory history;
  private final RegistryLock lock;
  private final Clock clock;

  Promoter(StoredVersions stored, Clock clock, Duration lease) {
    this.stored = stored;
    this.latest = new LatestPointer(stored);
    this.history = new PromotionHistory(stored);
    // leases are real time, whatever clock version ids are taken from
    this.lock = new RegistryLock(stored, Clock.systemUTC(), lease);
    this.clock = clock;
  }

  /** The lock every move of LATEST and every prune of this model takes. */
  RegistryLock lock() {
    return lock;
  }

  /** Promotes a just-published, verified version if {@code promotion} says so. */
  PromotionPolicy.Decision promotePublished(Manifest candidate, Promotion promotion)
      throws IOException {
    try (RegistryLock.Held held = lock.acquire()) {
      return promotePublishedLocked(candidate, promotion);
    }
  }

  private PromotionPolicy.Decision promotePublishedLocked(Manifest candidate, Promotion promotion)
      throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LatestPointer.Current current = latest.read();
      PromotionPolicy.Decision decision =
          PromotionPolicy.decide(candidate, promotion, current, stored);
      if (!decision.promote()) {
        return decision;
      }
      requireManifest(candidate.version());
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
    try (RegistryLock.Held held = lock.acquire()) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        LatestPointer.Current current = latest.read();
        String reason =
            "promoted "
                + version
                + current.version().map(v -> " (was " + v + ")").orElse(" (LATEST was not set)");
        requireManifest(version);
        if (latest.replace(current, version)) {
          record(version, PromotionHistory.PROMOTE, reason, now());
          return reason;
        }
      }
    }
    throw changedTooOften(version);
  }

  /**
   * Under the lock, right before LATEST moves: the version still has its manifest (a prune deletes
   * it first, under the same lock).
   */
  private void requireManifest(String version) throws IOException {
    if (stored.store().getBytes(stored.manifestKey(version)).isEmpty()) {
      throw new StoreException(
          stored.location(stored.manifestKey(version))
              + " is gone: version "
              + version
              + " was pruned meanwhile; LATEST was left where it was");
    }
  }

  /**
   * Points LATEST back at the version promoted before the current one, checked first; returns what
   * happened, in words.
   */
  String rollback() throws IOException {
    String verified = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (verified == null) {
        // the download that checks the target runs outside the lock; the target is taken again
        // under it, and a different one sends the rollback round once more
        verified = rollbackStep(latest.read()).target();
        verify(verified);
      }
      try (RegistryLock.Held held = lock.acquire()) {
        LatestPointer.Current current = latest.read();
        RollbackStep step = rollbackStep(current);
        if (!step.target().equals(verified)) {
          verified = null;
          continue;
        }
        String reason = "rolled back from " + step.from() + " to " + step.target();
        if (latest.replace(current, step.target())) {
          record(step.target(), PromotionHistory.ROLLBACK, reason, now());
          return reason;
        }
      }
    }
    throw changedTooOften("the rollback");
  }

  private record RollbackStep(String from, String target) {}

  private RollbackStep rollbackStep(LatestPointer.Current current) throws IOException {
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
    return new RollbackStep(from, target);
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

  /**
   * The versions a prune must keep whatever their age: LATEST and the rollback target. Read under
   * {@link #lock()}, they stay so until it is handed back.
   */
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
