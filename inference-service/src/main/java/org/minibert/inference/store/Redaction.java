package org.minibert.inference.store;

import java.util.regex.Pattern;

/**
 * Removes credentials from text that may name a store: the user information of a URI ({@code
 * s3://key:secret@host/bucket} becomes {@code s3://***@host/bucket}) and the query of one (a
 * presigned URL's signature). Every store specification and every store error passes through it
 * before it is logged or answered.
 */
public final class Redaction {
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");
  private static final Pattern URI_QUERY =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s?]*)\\?[^\\s]*");

  private Redaction() {}

  /** {@code text} with the user information and queries of the URIs in it replaced. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String noUser = USER_INFO.matcher(text).replaceAll("$1***@");
    return URI_QUERY.matcher(noUser).replaceAll("$1?***");
  }
}
