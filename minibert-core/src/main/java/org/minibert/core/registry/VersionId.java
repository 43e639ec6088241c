package org.minibert.core.registry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Version ids like {@code 20261126T123519Z-3fa9c1}: the UTC creation time, so that ids sort by age
 * as plain strings (in a bucket listing, in a folder), and 6 random hex digits so that two exports
 * in the same second never collide. No counter: a counter would need a read-modify-write on a store
 * that has no locks.
 */
public final class VersionId {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

  private VersionId() {}

  /** A new id for a version created at {@code now}. */
  public static String create(Instant now, RandomGenerator random) {
    byte[] suffix = new byte[3];
    random.nextBytes(suffix);
    return TIME.format(now.truncatedTo(ChronoUnit.SECONDS))
        + "-"
        + HexFormat.of().formatHex(suffix);
  }

  public static boolean isValid(String id) {
    if (id == null || !SHAPE.matcher(id).matches()) {
      return false;
    }
    try {
      TIME.parse(id.substring(0, 16));
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Returns {@code id} when it is a version id, or throws saying what one looks like. */
  public static String check(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a version id (like 20261126T123519Z-3fa9c1)");
    }
    return id;
  }

  /** When the version was created, to the second. */
  public static Instant timestamp(String id) {
    return Instant.from(TIME.parse(check(id).substring(0, 16)));
  }
}
