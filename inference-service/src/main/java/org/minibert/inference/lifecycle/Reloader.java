package org.minibert.inference.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.minibert.core.registry.VersionIntegrityException;
import org.minibert.inference.store.Redaction;

/**
 * When the loader tries which version, and what a failure means: the policy of start-up and hot
 * reload, apart from the loading itself ({@link Steps}).
 *
 * <ul>
 *   <li>Each step asks for the wanted version (LATEST, or the pinned one) and loads it when it is
 *       not the one serving; the next step comes a poll interval later, jittered by {@code ±jitter}
 *       per step so that replicas do not hit the store in step.
 *   <li>A transient failure (a store timeout, an unreachable store, a missing object) is retried
 *       with exponential backoff, for as long as it takes: a version is never given up because the
 *       store was briefly away.
 *   <li>A permanent failure ({@link VersionIntegrityException}: the store's bytes do not match the
 *       manifest; {@link UnusableVersionException}: the verified files do not load) is retried too,
 *       with backoff, and after {@code badAttempts} of them in a row the version is rejected until
 *       LATEST names another one (a pinned version is never rejected).
 *   <li>A version the memory check refuses is not downloaded; the check is repeated every poll.
 *   <li>Nothing a step throws, {@link Error}s included, stops the loader: it is logged, and the
 *       next step is scheduled after the backoff.
 * </ul>
 */
final class Reloader {
  private static final Logger LOG = Logger.getLogger(Reloader.class);

  /** What the loader does; implemented by {@link ModelLifecycle}. */
  interface Steps {
    /** The version to serve (LATEST or the pinned one), or empty when none is published. */
    Optional<String> wanted() throws Exception;

    /** The version serving now, or null. */
    String serving();

    /** Why {@code version} cannot be loaded now (not enough memory), or empty. */
    Optional<String> refusal(String version) throws Exception;

    /** Fetches, verifies, loads, warms up and swaps in {@code version}. */
    void load(String version) throws Exception;

    /** No version serves, and this is why (for readiness). */
    void notReady(String reason);
  }

  /**
   * @param pollInterval between steps once a version serves; zero or negative: no hot reload
   * @param pinned a pinned version is loaded once and never rejected
   */
  record Settings(
      Duration pollInterval,
      double jitter,
      Duration initialBackoff,
      Duration maxBackoff,
      int badAttempts,
      boolean pinned) {}

  private final Steps steps;
  private final Settings settings;
  private final Random random;
  private Duration backoff;
  private String failingVersion;
  private int permanentFailures;
  private String refusedVersion;
  private volatile String rejectedVersion;
  private volatile String lastError;
  private volatile String publicError;

  Reloader(Steps steps, Settings settings, Random random) {
    this.steps = steps;
    this.settings = settings;
    this.random = random;
    this.backoff = settings.initialBackoff();
  }

  /**
   * Runs steps on {@code executor} until it is shut down (or, without hot reload, until one
   * serves).
   */
  void start(ScheduledExecutorService executor) {
    executor.execute(() -> tick(executor));
  }

  private void tick(ScheduledExecutorService executor) {
    Duration next = step();
    if (next != null && !executor.isShutdown()) {
      executor.schedule(() -> tick(executor), next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One step; returns the delay to the next one, or null when there is nothing left to do. */
  Duration step() {
    try {
      return tryOnce();
    } catch (Throwable e) {
      // an Error too: the loader must outlive whatever one step ran into
      lastError = describe(e);
      publicError = "the model loader failed unexpectedly; the service log has the details";
      LOG.error("the model loader failed unexpectedly; it keeps running", e);
      return nextBackoff();
    }
  }

  private Duration tryOnce() throws Exception {
    Optional<String> wanted;
    try {
      wanted = steps.wanted();
    } catch (Exception e) {
      lastError = describe(e);
      publicError = "the model store cannot be read now; the service log has the details";
      LOG.warnf("cannot read the version to serve: %s", lastError);
      notReadyIfNothingServes(publicError);
      return nextBackoff();
    }
    String serving = steps.serving();
    if (wanted.isEmpty()) {
      if (serving == null) {
        lastError = "no version is published yet";
        publicError = lastError;
        notReadyIfNothingServes(publicError);
        return nextBackoff();
      }
      return afterServing();
    }
    String version = wanted.get();
    if (version.equals(serving)) {
      return afterServing();
    }
    if (version.equals(rejectedVersion) && !settings.pinned()) {
      notReadyIfNothingServes("version " + version + " was rejected: " + publicError);
      return serving == null ? nextBackoff() : afterServing();
    }
    Optional<String> refusal;
    try {
      refusal = steps.refusal(version);
    } catch (Exception e) {
      return failed(version, serving, e);
    }
    if (refusal.isPresent()) {
      lastError = refusal.get();
      publicError = lastError; // sizes only
      if (!version.equals(refusedVersion)) {
        refusedVersion = version;
        LOG.errorf("not loading %s, %s: %s", version, keeps(serving), lastError);
      }
      notReadyIfNothingServes(publicError);
      return serving == null ? nextBackoff() : jittered(settings.pollInterval());
    }
    refusedVersion = null;
    if (!version.equals(failingVersion)) {
      LOG.infof("loading %s beside %s", version, serving == null ? "nothing" : serving);
    }
    try {
      steps.load(version);
    } catch (Exception | LinkageError e) {
      return failed(version, serving, e);
    }
    lastError = null;
    publicError = null;
    failingVersion = null;
    permanentFailures = 0;
    backoff = settings.initialBackoff();
    return afterServing();
  }

  private Duration failed(String version, String serving, Throwable e) {
    lastError = describe(e);
    publicError = publicReason(version, e);
    boolean permanent =
        e instanceof VersionIntegrityException || e instanceof UnusableVersionException;
    if (!version.equals(failingVersion)) {
      failingVersion = version;
      permanentFailures = 0;
    }
    String keeps = keeps(serving);
    if (permanent) {
      permanentFailures++;
      if (permanentFailures >= settings.badAttempts() && !settings.pinned()) {
        rejectedVersion = version;
        LOG.errorf(
            "version %s rejected after %d failed attempts until LATEST changes, %s: %s",
            version, permanentFailures, keeps, lastError);
        notReadyIfNothingServes(publicError);
        return serving == null ? nextBackoff() : afterServing();
      }
      LOG.errorf(
          "version %s failed (%d of %d attempts), %s: %s",
          version, permanentFailures, settings.badAttempts(), keeps, lastError);
    } else {
      if (e instanceof LinkageError) {
        LOG.error("cannot load the model", e);
      }
      LOG.warnf(
          "version %s could not be fetched (%s), %s; retrying in about %d ms",
          version, lastError, keeps, backoff.toMillis());
    }
    notReadyIfNothingServes(publicError);
    return nextBackoff();
  }

  /**
   * What a failure to load {@code version} is called where anyone can read it (readiness, {@code
   * /model}): its kind only. The message itself, which can hold local paths, the store's address or
   * an error of the store, goes to the log.
   */
  static String publicReason(String version, Throwable e) {
    if (e instanceof VersionIntegrityException) {
      return "version " + version + " does not match its manifest; the service log has the details";
    }
    if (e instanceof UnusableVersionException || e instanceof LinkageError) {
      return "version " + version + " does not load; the service log has the details";
    }
    return "version "
        + version
        + " could not be fetched from the store; the service log has the details";
  }

  private static String keeps(String serving) {
    return serving == null ? "nothing is served meanwhile" : serving + " keeps serving";
  }

  /** The next step once a version serves: a poll interval later, or none without hot reload. */
  private Duration afterServing() {
    backoff = settings.initialBackoff();
    Duration interval = settings.pollInterval();
    if (settings.pinned() || interval.isZero() || interval.isNegative()) {
      return null;
    }
    return jittered(interval);
  }

  private Duration nextBackoff() {
    Duration current = backoff;
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    return jittered(current);
  }

  /** {@code delay} times a random factor in [1 - jitter, 1 + jitter]. */
  Duration jittered(Duration delay) {
    double factor = 1 + settings.jitter() * (2 * random.nextDouble() - 1);
    return Duration.ofNanos(Math.max(0, (long) (delay.toNanos() * factor)));
  }

  private void notReadyIfNothingServes(String reason) {
    if (steps.serving() == null) {
      steps.notReady(reason);
    }
  }

  /** The failure for the log: its message, credentials in store URIs removed. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : Redaction.redact(message);
  }

  /** The last failure (or refusal) for the log, or null once a version loaded. */
  String lastError() {
    return lastError;
  }

  /**
   * The last failure (or refusal) as strangers may read it (its kind, no paths, addresses or error
   * text), or null once a version loaded.
   */
  String publicError() {
    return publicError;
  }
}
