package org.minibert.core.store;

import java.util.regex.Pattern;

/**
 * Store specifications and endpoints as they may appear in messages: a URL's userinfo ({@code
 * s3://KEY:SECRET@bucket}, {@code http://user:password@minio:9000}) is replaced by {@code ***}, so
 * that an error or a log line never repeats a credential someone put in a URL.
 */
public final class Redaction {
  // up to the last '@' of the URL: a secret key may itself hold '/' (AWS secret keys do), so the
  // userinfo cannot be told from the path by the first '/'; redacting too much beats leaking
  private static final Pattern USERINFO = Pattern.compile("(?<=://)[^\\s'\"]*@");

  private Redaction() {}

  /** {@code text} with the userinfo of every URL in it replaced by {@code ***}. */
  public static String redact(String text) {
    return text == null ? null : USERINFO.matcher(text).replaceAll("***@");
  }
}
