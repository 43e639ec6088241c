package org.minibert.inference.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The API keys a caller may present ({@code minibert.api-key}, several for a rotation). Only their
 * SHA-256 is kept, and a presented key is compared with every one of them in constant time ({@link
 * MessageDigest#isEqual} on digests of one length), so that neither the answer's timing nor an
 * early exit tells a caller how much of a key it guessed.
 */
final class ApiKeys {
  private static final String BEARER = "bearer ";

  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    this.digests = digests;
  }

  /** The keys of the setting; blank entries are ignored, none at all means no authentication. */
  static ApiKeys of(Optional<List<String>> configured) {
    return new ApiKeys(
        configured.orElse(List.of()).stream()
            .map(String::strip)
            .filter(key -> !key.isEmpty())
            .map(ApiKeys::sha256)
            .toList());
  }

  /** Whether callers must present a key. */
  boolean required() {
    return !digests.isEmpty();
  }

  /** Whether an {@code Authorization} header value is {@code Bearer <one of the keys>}. */
  boolean accepts(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
    boolean match = false;
    for (byte[] key : digests) {
      match |= MessageDigest.isEqual(presented, key); // no early exit: every key is compared
    }
    return match;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
