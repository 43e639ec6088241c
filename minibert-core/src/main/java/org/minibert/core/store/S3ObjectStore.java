package org.minibert.core.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.minibert.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on an S3 bucket: AWS S3, MinIO or any S3-compatible server.
 *
 * <p>Configured the way every AWS tool is (the default credential chain: environment, system
 * properties, profile, container or instance role; the default region chain), plus {@code
 * AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL} for MinIO and friends, which then get path-style
 * addressing because their buckets are not DNS names. Timeouts are short on purpose: an unreachable
 * endpoint should fail a command in seconds, not after minutes of retries.
 *
 * <p>Every call is bounded ({@link StoreLimits}): API calls per attempt and overall, and small
 * objects (LATEST, manifests, the history) by size and by one deadline for the whole read, body
 * included, so a store that answers a huge or trickling LATEST fails the poll instead of stalling
 * it.
 *
 * <p>Files above {@link Settings#multipartThreshold()} are uploaded in parts (S3 caps a single PUT
 * at 5 GB, and a failed part is retried alone); a failed multipart upload is aborted so that the
 * bucket keeps no hidden parts.
 */
public final class S3ObjectStore implements ObjectStore {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
  static final int MAX_ATTEMPTS = 3;

  /** The smallest part S3 accepts (except the last one). */
  public static final long MIN_PART_SIZE = 5L << 20;

  /**
   * Where and how to connect.
   *
   * @param bucket the bucket name
   * @param prefix the folder inside the bucket every key is relative to, without leading or
   *     trailing '/'; may be empty
   * @param endpoint an S3-compatible server (MinIO), or null for AWS itself
   * @param region the signing region (any value for most S3-compatible servers)
   * @param credentials where the access keys come from
   * @param multipartThreshold files larger than this many bytes are uploaded in parts
   * @param partSize the size of each part but the last, at least {@link #MIN_PART_SIZE}
   */
  public record Settings(
      String bucket,
      String prefix,
      URI endpoint,
      Region region,
      AwsCredentialsProvider credentials,
      long multipartThreshold,
      long partSize) {

    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L << 20;
    public static final long DEFAULT_PART_SIZE = 8L << 20;

    public Settings {
      ObjectStores.checkBucketName(bucket);
      if (!prefix.isEmpty()) {
        Keys.check(prefix);
      }
      if (partSize < MIN_PART_SIZE) {
        throw new IllegalArgumentException(
            "S3 parts must be at least 5 MiB, got " + partSize + " bytes");
      }
      if (multipartThreshold < partSize) {
        throw new IllegalArgumentException(
            "the multipart threshold must be at least the part size");
      }
    }

    /**
     * The settings every AWS tool would use: default credential and region chains (region falls
     * back to us-east-1, which S3-compatible servers accept), endpoint from {@code
     * AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, each read as a system property first and
     * then from the environment.
     */
    public static Settings fromEnvironment(String bucket, String prefix) {
      return new Settings(
          bucket,
          prefix,
          endpointFromEnvironment(),
          regionFromEnvironment(),
          DefaultCredentialsProvider.builder().build(),
          DEFAULT_MULTIPART_THRESHOLD,
          DEFAULT_PART_SIZE);
    }

    public Settings withEndpoint(URI newEndpoint) {
      return new Settings(
          bucket, prefix, newEndpoint, region, credentials, multipartThreshold, partSize);
    }

    public Settings withCredentials(AwsCredentialsProvider newCredentials) {
      return new Settings(
          bucket, prefix, endpoint, region, newCredentials, multipartThreshold, partSize);
    }

    public Settings withMultipart(long newThreshold, long newPartSize) {
      return new Settings(bucket, prefix, endpoint, region, credentials, newThreshold, newPartSize);
    }

    private static URI endpointFromEnvironment() {
      for (String name : List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")) {
        String value = System.getProperty(name, System.getenv(name));
        if (value != null && !value.isBlank()) {
          URI uri = URI.create(value.strip());
          if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                name
                    + "="
                    + Redaction.redact(value)
                    + " is not an endpoint URL like http://minio:9000");
          }
          return uri;
        }
      }
      return null;
    }

    private static Region regionFromEnvironment() {
      try {
        return new DefaultAwsRegionProviderChain().getRegion();
      } catch (SdkClientException noRegionConfigured) {
        return Region.US_EAST_1;
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

  /** Aborts small reads that pass their deadline (a blocked socket read only ends that way). */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "minibert-s3-deadlines");
            t.setDaemon(true);
            return t;
          });

  private final Settings settings;
  private final StoreLimits limits;
  private final S3Client s3;
  private volatile boolean conditionalWrites = true;
  private final S3Errors errors;

  public S3ObjectStore(Settings settings) {
    this(settings, StoreLimits.DEFAULT);
  }

  public S3ObjectStore(Settings settings, StoreLimits limits) {
    this.settings = settings;
    this.limits = limits;
    this.errors = new S3Errors(uri(), settings.bucket(), endpoint());
    S3ClientBuilder builder =
        S3Client.builder()
            .region(settings.region())
            .credentialsProvider(settings.credentials())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .build())
                        .apiCallAttemptTimeout(limits.apiCallAttemptTimeout())
                        .apiCallTimeout(limits.apiCallTimeout()))
            // the manifest's SHA-256 is the end-to-end check; the SDK's newer default CRC trailers
            // are not
            // understood by every S3-compatible server, so send and check checksums only where S3
            // requires them
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
    }
    this.s3 = builder.build();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Creates the bucket when it does not exist yet (in the configured region when talking to AWS
   * itself).
   */
  public void ensureBucket() throws StoreException {
    String bucket = settings.bucket();
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException missing) {
      try {
        s3.createBucket(
            b -> {
              b.bucket(bucket);
              if (settings.endpoint() == null && !Region.US_EAST_1.equals(settings.region())) {
                b.createBucketConfiguration(c -> c.locationConstraint(settings.region().id()));
              }
            });
      } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
        // another publisher was faster: fine
      } catch (SdkException e) {
        throw errors.translate("create bucket " + bucket, e);
      }
    } catch (SdkException e) {
      throw errors.translate("check bucket " + bucket, e);
    }
  }

  @Override
  public void ensureExists() throws StoreException {
    ensureBucket();
  }

  @Override
  public void put(String key, Path file) throws IOException {
    String fullKey = fullKey(key);
    long size = Files.size(file);
    try {
      if (size > settings.multipartThreshold()) {
        putInParts(fullKey, file);
      } else {
        s3.putObject(b -> b.bucket(settings.bucket()).key(fullKey), RequestBody.fromFile(file));
      }
    } catch (SdkException e) {
      throw errors.translate("upload " + key, e);
    }
  }

  private void putInParts(String fullKey, Path file) throws IOException {
    String bucket = settings.bucket();
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(fullKey)).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      for (byte[] part; (part = in.readNBytes((int) settings.partSize())).length > 0; ) {
        int number = parts.size() + 1;
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(fullKey).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(fullKey)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(fullKey).uploadId(uploadId));
      } catch (RuntimeException abortFailed) {
        e.addSuppressed(abortFailed);
      }
      throw e;
    }
  }

  @Override
  public void putBytes(String key, byte[] content) throws IOException {
    String fullKey = fullKey(key);
    try {
      s3.putObject(b -> b.bucket(settings.bucket()).key(fullKey), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw errors.translate("upload " + key, e);
    }
  }

  public StoreLimits limits() {
    return limits;
  }

  @Override
  public Optional<byte[]> getBytes(String key) throws IOException {
    return readSmall(key).map(Tagged::content);
  }

  @Override
  public Optional<Tagged> getTagged(String key) throws IOException {
    return readSmall(key);
  }

  /**
   * A small object, read within {@link StoreLimits#smallReadDeadline()} and at most {@link
   * StoreLimits#smallObjectMaxBytes()}: the request itself is given the deadline as its API call
   * timeout, and a timer aborts the connection if the body is still arriving when it passes.
   */
  private Optional<Tagged> readSmall(String key) throws IOException {
    String fullKey = fullKey(key);
    long max = limits.smallObjectMaxBytes();
    long start = System.nanoTime();
    ResponseInputStream<GetObjectResponse> in;
    try {
      in =
          s3.getObject(
              b ->
                  b.bucket(settings.bucket())
                      .key(fullKey)
                      .overrideConfiguration(
                          o ->
                              o.apiCallTimeout(limits.smallReadDeadline())
                                  .apiCallAttemptTimeout(limits.smallReadDeadline())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      if (isTimeout(e)) {
        throw tooSlow(key);
      }
      throw errors.translate("read " + key, e);
    }
    AtomicBoolean expired = new AtomicBoolean();
    long left = limits.smallReadDeadline().toNanos() - (System.nanoTime() - start);
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(
            () -> {
              expired.set(true);
              in.abort();
            },
            Math.max(0, left),
            TimeUnit.NANOSECONDS);
    try (in) {
      Long declared = in.response().contentLength();
      if (declared != null && declared > max) {
        in.abort();
        throw tooLarge(key, declared + " bytes");
      }
      byte[] bytes = in.readNBytes((int) max + 1);
      if (bytes.length > max) {
        in.abort();
        throw tooLarge(key, "more");
      }
      return Optional.of(new Tagged(bytes, in.response().eTag()));
    } catch (StoreException e) {
      throw e;
    } catch (IOException | SdkException e) {
      if (expired.get()) {
        throw tooSlow(key);
      }
      throw e instanceof SdkException sdk
          ? errors.translate("read " + key, sdk)
          : new StoreException(uri() + ": read " + key + " failed: " + e.getMessage(), e);
    } finally {
      deadline.cancel(false);
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
          || t instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private StoreException tooLarge(String key, String size) {
    return new StoreException(
        uri()
            + "/"
            + key
            + " is larger than the "
            + StoreLimits.describeSize(limits.smallObjectMaxBytes())
            + " allowed for it ("
            + size
            + "): not read");
  }

  private StoreException tooSlow(String key) {
    return new StoreException(
        uri()
            + "/"
            + key
            + " was not read within "
            + StoreLimits.describe(limits.smallReadDeadline())
            + " (the store answers too slowly)");
  }

  /**
   * A conditional PutObject ({@code If-Match: <etag>}, or {@code If-None-Match: *} for a new key).
   * A server that answers 501 Not Implemented to conditional writes gets a compare, then a plain
   * write (not atomic: a warning says so once).
   */
  @Override
  public boolean putBytesIf(String key, byte[] content, Optional<String> expected)
      throws IOException {
    String fullKey = fullKey(key);
    if (!conditionalWrites) {
      return compareThenPut(key, content, expected);
    }
    try {
      s3.putObject(
          b -> {
            b.bucket(settings.bucket()).key(fullKey);
            expected.ifPresentOrElse(b::ifMatch, () -> b.ifNoneMatch("*"));
          },
          RequestBody.fromBytes(content));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false; // 412 Precondition Failed; 409 a concurrent conditional write won
      }
      if (e.statusCode() == 501) {
        conditionalWrites = false;
        LOG.warn(
            "{} does not support conditional writes (If-Match): LATEST is compared, then written,"
                + " which two concurrent publishers can race",
            endpoint());
        return compareThenPut(key, content, expected);
      }
      throw errors.translate("upload " + key, e);
    } catch (SdkException e) {
      throw errors.translate("upload " + key, e);
    }
  }

  private boolean compareThenPut(String key, byte[] content, Optional<String> expected)
      throws IOException {
    if (!getTagged(key).map(Tagged::tag).equals(expected)) {
      return false;
    }
    putBytes(key, content);
    return true;
  }

  @Override
  public void download(String key, Path target) throws IOException {
    String fullKey = fullKey(key);
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(settings.bucket()).key(fullKey))) {
      AtomicFiles.write(target, in::transferTo);
    } catch (NoSuchKeyException e) {
      throw new StoreException(uri() + ": no such object " + key, e);
    } catch (SdkException e) {
      throw errors.translate("download " + key, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    String fullKey = fullKey(key);
    try {
      ResponseInputStream<GetObjectResponse> response =
          s3.getObject(b -> b.bucket(settings.bucket()).key(fullKey));
      // a reader that stops early (more bytes than a manifest declares) must not drain the rest
      // of the object to reuse the connection: abort it instead
      return new FilterInputStream(response) {
        private boolean ended;

        @Override
        public int read() throws IOException {
          int b = super.read();
          ended |= b < 0;
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          ended |= n < 0;
          return n;
        }

        @Override
        public void close() throws IOException {
          if (!ended) {
            response.abort();
          }
          super.close();
        }
      };
    } catch (NoSuchKeyException e) {
      throw new StoreException(uri() + ": no such object " + key, e);
    } catch (SdkException e) {
      throw errors.translate("download " + key, e);
    }
  }

  @Override
  public SortedMap<String, Long> listWithSizes(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    String root = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
    SortedMap<String, Long> found = new TreeMap<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(root + prefix))
              .contents()) {
        found.put(object.key().substring(root.length()), object.size());
      }
    } catch (SdkException e) {
      throw errors.translate("list " + (prefix.isEmpty() ? "/" : prefix), e);
    }
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    String fullKey = fullKey(key);
    try {
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(fullKey));
    } catch (SdkException e) {
      throw errors.translate("delete " + key, e);
    }
  }

  @Override
  public String uri() {
    return "s3://"
        + settings.bucket()
        + (settings.prefix().isEmpty() ? "" : "/" + settings.prefix());
  }

  /** The server requests go to, for messages. */
  public String endpoint() {
    return settings.endpoint() != null
        ? Redaction.redact(settings.endpoint().toString())
        : "https://s3." + settings.region().id() + ".amazonaws.com";
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return uri();
  }

  private String fullKey(String key) {
    Keys.check(key);
    return settings.prefix().isEmpty() ? key : settings.prefix() + "/" + key;
  }
}
