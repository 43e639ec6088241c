package org.minibert.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3ObjectStoreTest extends ObjectStoreContract {
  static final long MIB = 1 << 20;

  @Override
  ObjectStore newEmptyStore() {
    return new S3ObjectStore(S3ProxyServer.settings());
  }

  @Test
  void largeFilesGoUpInPartsAndComeBackWhole() throws IOException {
    byte[] content = new byte[(int) (6 * MIB + 123)];
    new Random(7).nextBytes(content);
    Path source = Files.write(tmp.resolve("model.onnx"), content);
    try (S3ObjectStore parts =
        new S3ObjectStore(S3ProxyServer.settings().withMultipart(5 * MIB, 5 * MIB))) {
      parts.put("m/model.onnx", source);
      assertThat(parts.listWithSizes("")).containsEntry("m/model.onnx", (long) content.length);
      parts.download("m/model.onnx", tmp.resolve("back.onnx"));
    }
    assertThat(tmp.resolve("back.onnx")).hasSameBinaryContentAs(source);
  }

  @Test
  void aPrefixSeparatesStoresInOneBucket() throws IOException {
    store.putBytes("k", new byte[] {1});
    try (ObjectStore other = newEmptyStore()) {
      assertThat(other.list("")).isEmpty();
    }
    assertThat(store.uri()).startsWith("s3://" + S3ProxyServer.BUCKET + "/t-");
  }

  @Test
  void wrongCredentialsGiveOneClearLine() {
    var wrong =
        S3ProxyServer.settings()
            .withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "wrong")));
    try (ObjectStore denied = new S3ObjectStore(wrong)) {
      assertThatThrownBy(() -> denied.list(""))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith(denied.uri() + ": access denied")
          .hasMessageContaining("check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void aMissingBucketIsNamedAndEnsureBucketCreatesIt() throws IOException {
    var settings = S3ProxyServer.settings();
    var elsewhere =
        new S3ObjectStore.Settings(
            "fresh-" + settings.prefix().substring(2, 10),
            "",
            settings.endpoint(),
            settings.region(),
            settings.credentials(),
            settings.multipartThreshold(),
            settings.partSize());
    try (S3ObjectStore fresh = new S3ObjectStore(elsewhere)) {
      assertThatThrownBy(() -> fresh.list(""))
          .isInstanceOf(StoreException.class)
          .hasMessage("bucket " + elsewhere.bucket() + " does not exist at " + settings.endpoint());
      fresh.ensureBucket();
      fresh.ensureBucket();
      fresh.putBytes("k", new byte[] {1});
      assertThat(fresh.list("")).containsExactly("k");
    }
  }

  @Test
  void anUnreachableEndpointFailsWithinSecondsWithOneLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    long started = System.nanoTime();
    try (ObjectStore unreachable =
        new S3ObjectStore(S3ProxyServer.settings().withEndpoint(nowhere))) {
      assertThatThrownBy(() -> unreachable.getBytes("m/LATEST"))
          .isInstanceOf(StoreException.class)
          .hasMessage("cannot reach S3 endpoint " + nowhere + ": connection refused");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
