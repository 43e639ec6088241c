package org.minibert.core.store;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions (long messages with request ids, causes three levels deep) into the
 * one line a user needs: which store, what is wrong, and what to check.
 */
final class S3Errors {
  private static final Set<String> AUTH_CODES =
      Set.of(
          "AccessDenied",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken");
  private static final String CHECK_KEYS = "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY";

  private final String storeUri;
  private final String bucket;
  private final String endpoint;

  S3Errors(String storeUri, String bucket, String endpoint) {
    this.storeUri = storeUri;
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /**
   * @param action what was being done, for the rare error with no better description ("list
   *     models/")
   */
  StoreException translate(String action, SdkException e) {
    return new StoreException(describe(action, e), e);
  }

  private String describe(String action, SdkException e) {
    if (e instanceof S3Exception s3) {
      return describeService(action, s3);
    }
    String network = describeNetwork(e);
    if (network != null) {
      return "cannot reach S3 endpoint " + endpoint + ": " + network;
    }
    String message = firstLine(e.getMessage());
    if (message.contains("Unable to load credentials")) {
      return storeUri
          + ": no AWS credentials found (set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or"
          + " AWS_PROFILE)";
    }
    return storeUri + ": " + action + " failed: " + message;
  }

  private String describeService(String action, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
      return "bucket " + bucket + " does not exist at " + endpoint;
    }
    if (e.statusCode() == 403 || AUTH_CODES.contains(code)) {
      String why =
          switch (code == null ? "" : code) {
            case "InvalidAccessKeyId" -> "unknown access key id; ";
            case "SignatureDoesNotMatch" -> "wrong secret access key; ";
            case "ExpiredToken", "InvalidToken" -> "expired or invalid session token; ";
            default -> "";
          };
      return storeUri + ": access denied (" + why + CHECK_KEYS + ")";
    }
    String detail =
        e.awsErrorDetails() == null ? "" : firstLine(e.awsErrorDetails().errorMessage());
    return storeUri
        + ": "
        + action
        + " failed: "
        + (code == null ? "" : code + " ")
        + detail
        + " (HTTP "
        + e.statusCode()
        + ")";
  }

  /** A network failure in the cause chain, in a few words; null when there is none. */
  private static String describeNetwork(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
        return "timed out";
      }
      if (t instanceof SSLException) {
        return "TLS failed: " + firstLine(t.getMessage());
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "no details";
    }
    return message.strip().lines().findFirst().orElse("").strip();
  }
}
