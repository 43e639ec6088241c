package org.minibert.core.store;

import java.time.Duration;

/**
 * Bounds on what one store request may cost, so that a damaged or hostile store cannot stall or
 * exhaust a reader: a small object ({@link ObjectStore#getBytes}, {@link ObjectStore#getTagged}:
 * LATEST, a manifest, HISTORY.json) larger than {@code smallObjectMaxBytes}, or not read whole
 * within {@code smallReadDeadline}, fails with one {@link StoreException}; S3 API calls are capped
 * per attempt and overall (large uploads and downloads included, which is why those caps are
 * generous).
 *
 * @param smallObjectMaxBytes the largest small object read
 * @param smallReadDeadline the time allowed for a whole small read (request, answer and body)
 * @param apiCallAttemptTimeout the time allowed for one attempt of an S3 API call
 * @param apiCallTimeout the time allowed for an S3 API call, retries included
 */
public record StoreLimits(
    long smallObjectMaxBytes,
    Duration smallReadDeadline,
    Duration apiCallAttemptTimeout,
    Duration apiCallTimeout) {

  /**
   * 4 MiB is thousands of promotions in HISTORY.json and far beyond any manifest or LATEST; 30 s
   * covers a slow store, not a trickling one.
   */
  public static final StoreLimits DEFAULT =
      new StoreLimits(
          4L << 20, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5));

  public StoreLimits {
    if (smallObjectMaxBytes < 1 || smallObjectMaxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "smallObjectMaxBytes out of range: " + smallObjectMaxBytes);
    }
    for (Duration d : new Duration[] {smallReadDeadline, apiCallAttemptTimeout, apiCallTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("store time limits must be positive, got " + d);
      }
    }
  }

  public StoreLimits withSmallReads(long maxBytes, Duration deadline) {
    return new StoreLimits(maxBytes, deadline, apiCallAttemptTimeout, apiCallTimeout);
  }

  public StoreLimits withApiCallTimeouts(Duration attempt, Duration total) {
    return new StoreLimits(smallObjectMaxBytes, smallReadDeadline, attempt, total);
  }

  /** "4 MiB", "1500 bytes": sizes in messages. */
  static String describeSize(long bytes) {
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }

  /** "30 s", "1500 ms". */
  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
