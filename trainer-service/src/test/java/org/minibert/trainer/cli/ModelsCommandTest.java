package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.PublishResult;
import org.minibert.core.registry.VersionDetails;
import org.minibert.core.store.LocalFolderStore;

class ModelsCommandTest {
  @TempDir Path tmp;

  PublishResult publish(ModelRepository repo, String name, Double loss) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve(name));
    Files.writeString(folder.resolve("model.onnx"), "onnx " + name);
    Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"bert\"}");
    return repo.publish(folder, new VersionDetails(null, null, loss), Promotion.IF_BETTER);
  }

  @Test
  void listsVersionsMarksLatestAndFlagsAnIncompleteUpload() throws IOException {
    Path store = tmp.resolve("store");
    ModelRepository repo = new ModelRepository(new LocalFolderStore(store), "kobert");
    PublishResult best = publish(repo, "a", 4.29);
    PublishResult worse = publish(repo, "b", 4.4);
    String unfinished = "29991231T235959Z-abcdef"; // files uploaded, manifest never written
    Files.createDirectories(store.resolve("kobert/versions").resolve(unfinished));
    Files.writeString(
        store.resolve("kobert/versions").resolve(unfinished).resolve("model.onnx"), "half");

    CliRun run = CliRun.of("models", "--store", store.toString(), "--model", "kobert");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("kobert in " + store + ": 3 versions, LATEST " + best.version());
    assertThat(run.out().lines().filter(l -> l.startsWith("*")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains(best.version(), "4.2900", "complete", "<- LATEST"));
    assertThat(run.out()).containsPattern(" " + worse.version() + " .* 4\\.4000  complete\n");
    assertThat(run.out())
        .containsPattern(
            unfinished + " +2999-12-31 23:59:59 +-  INCOMPLETE \\(no manifest.json\\)");
    assertThat(run.out().lines().skip(2))
        .extracting(l -> l.substring(2, 25))
        .containsExactlyInAnyOrder(best.version(), worse.version(), unfinished);
  }

  @Test
  void anEmptyStoreSaysSo() {
    CliRun run =
        CliRun.of("models", "--store", tmp.resolve("none").toString(), "--model", "kobert");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("no versions of kobert in ");
  }

  @Test
  void badArgumentsAndUnreachableStoresFailWithOneLine() throws IOException {
    CliRun badName = CliRun.of("models", "--store", tmp.toString(), "--model", "KoBERT");
    assertThat(badName.exitCode()).isNotZero();
    assertThat(badName.errorLine())
        .doesNotContain("\n")
        .contains("'KoBERT' is not a valid model name");

    CliRun noBucket = CliRun.of("models", "--store", "s3://", "--model", "kobert");
    assertThat(noBucket.exitCode()).isNotZero();
    assertThat(noBucket.errorLine())
        .isEqualTo(
            "minibert models: error: store 's3://' names no bucket: use s3://bucket[/prefix]");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "AWS_ENDPOINT_URL",
            "http://127.0.0.1:" + closedPort,
            "aws.accessKeyId",
            "test",
            "aws.secretAccessKey",
            "test",
            "aws.region",
            "us-east-1");
    env.forEach(System::setProperty);
    try {
      CliRun unreachable = CliRun.of("models", "--store", "s3://models/team", "--model", "kobert");
      assertThat(unreachable.exitCode()).isNotZero();
      assertThat(unreachable.errorLine())
          .isEqualTo(
              "minibert models: error: cannot reach S3 endpoint http://127.0.0.1:"
                  + closedPort
                  + ": connection refused");
    } finally {
      env.keySet().forEach(System::clearProperty);
    }
  }
}
