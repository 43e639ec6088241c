package org.minibert.core.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Opens the store a user named on the command line or in configuration. */
public final class ObjectStores {
  /** The embedded store used when none is named. */
  public static final String DEFAULT_URI = "./model-store";

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private ObjectStores() {}

  /**
   * {@code s3://bucket[/prefix]} opens an {@link S3ObjectStore} configured from the environment
   * (see {@link S3ObjectStore.Settings#fromEnvironment}); anything else is a local folder; null or
   * blank means {@value #DEFAULT_URI}. Nothing is contacted or created here: the first operation
   * reports a bad endpoint or missing credentials.
   *
   * @throws IllegalArgumentException for a malformed URI, with a message saying what is expected
   */
  public static ObjectStore open(String uri) {
    String spec = uri == null || uri.isBlank() ? DEFAULT_URI : uri.strip();
    var scheme = SCHEME.matcher(spec);
    if (!scheme.find()) {
      return new LocalFolderStore(Path.of(spec));
    }
    switch (scheme.group(1).toLowerCase(Locale.ROOT)) {
      case "s3":
        return openS3(spec, spec.substring(scheme.end()));
      case "file":
        return new LocalFolderStore(Path.of(java.net.URI.create(spec)));
      default:
        throw new IllegalArgumentException(
            "unsupported store '"
                + Redaction.redact(spec)
                + "': use s3://bucket[/prefix] or a local folder");
    }
  }

  private static ObjectStore openS3(String spec, String rest) {
    if (rest.contains("@")) {
      // s3://KEY:SECRET@bucket: credentials never go in the store's name (nor into this message;
      // a secret key may hold '/', so the bucket cannot be told apart from it)
      throw new IllegalArgumentException(
          "store '"
              + Redaction.redact(spec)
              + "' has credentials in it: give them as AWS_ACCESS_KEY_ID /"
              + " AWS_SECRET_ACCESS_KEY (or a profile or role) instead");
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "store '" + Redaction.redact(spec) + "' names no bucket: use s3://bucket[/prefix]");
    }

    String prefix = slash < 0 ? "" : stripSlashes(rest.substring(slash + 1));
    if (!prefix.isEmpty()) {
      try {
        Keys.check(prefix);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "store '" + Redaction.redact(spec) + "' has an invalid prefix: " + e.getMessage());
      }
    }
    return new S3ObjectStore(
        S3ObjectStore.Settings.fromEnvironment(checkBucketName(bucket), prefix));
  }

  /**
   * Returns {@code key} when every store accepts it ('/'-separated, relative, no empty, "." or ".."
   * segment, no backslash), else throws; for callers that take keys or relative paths from data
   * such as a manifest.
   */
  public static String checkKey(String key) {
    return Keys.check(key);
  }

  /**
   * S3's rules for bucket names (3-63 lowercase letters, digits, '.' and '-'), so a typo fails
   * before any request.
   */
  static String checkBucketName(String bucket) {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException(
          "'"
              + bucket
              + "' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.' and '-',"
              + " starting and ending with a letter or digit)");
    }
    return bucket;
  }

  private static String stripSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
