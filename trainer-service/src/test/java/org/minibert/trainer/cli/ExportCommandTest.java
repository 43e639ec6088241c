package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.store.S3ProxyServer;
import org.minibert.trainer.TinyRuns;

/**
 * export and models through the command line: a tiny trained run published to a local folder and to
 * S3.
 */
class ExportCommandTest {
  @TempDir static Path shared;
  static Path run;

  @BeforeAll
  static void trainATinyRun() {
    Path data = TinyRuns.prepareSample(shared.resolve("data"), 500, 32);
    Path config = TinyRuns.tinyConfig(shared.resolve("tiny.json"), 16, 1, 32);
    run = shared.resolve("run");
    CliRun train =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--config",
            config.toString(),
            "--out",
            run.toString(),
            "--max-steps",
            "4");
    assertThat(train.exitCode()).as(train.err()).isZero();
  }

  @AfterEach
  void clearS3Settings() {
    for (String name :
        new String[] {
          "AWS_ENDPOINT_URL_S3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region"
        }) {
      System.clearProperty(name);
    }
  }

  @Test
  void publishesToALocalFolderAndListsIt(@TempDir Path store) throws IOException {
    CliRun export =
        CliRun.of(
            "export", "--run", run.toString(), "--store", store.toString(), "--model", "tiny");
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out())
        .contains("parity: max |DJL - ONNX Runtime|", "promoted: first promoted version");

    String latest = Files.readString(store.resolve("tiny").resolve(ModelLayout.LATEST)).strip();
    Path version = store.resolve("tiny/versions").resolve(latest);
    Manifest manifest = Json.read(version.resolve(ModelLayout.MANIFEST_JSON), Manifest.class);
    assertThat(manifest.parity().maxAbsDiff()).isLessThan(1e-4);
    assertThat(manifest.files())
        .extracting(f -> f.path())
        .containsExactlyInAnyOrder(
            ModelLayout.MODEL_ONNX,
            ModelLayout.MODEL_SERVING_ONNX,
            ModelLayout.MODEL_SAFETENSORS,
            ModelLayout.TOKENIZER_JSON,
            ModelLayout.TOKENIZER_CONFIG_JSON,
            ModelLayout.CONFIG_JSON,
            ModelLayout.METRICS_JSON);
    assertThat(manifest.graphs())
        .extracting(Manifest.Graph::file)
        .containsExactly(ModelLayout.MODEL_ONNX, ModelLayout.MODEL_SERVING_ONNX);
    JsonNode config = Json.MAPPER.readTree(version.resolve(ModelLayout.CONFIG_JSON).toFile());
    assertThat(config.path("model_type").asText()).isEqualTo("bert");

    // the same run again: its validation loss is not better than LATEST's, so LATEST stays
    CliRun again =
        CliRun.of(
            "export", "--run", run.toString(), "--store", store.toString(), "--model", "tiny");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("kept LATEST at " + latest);

    CliRun models = CliRun.of("models", "--store", store.toString(), "--model", "tiny");
    assertThat(models.out()).contains("2 versions", "* " + latest, "<- LATEST");
  }

  @Test
  void publishesToS3AndListsIt() {
    System.setProperty("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString());
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
    String store = "s3://export-test/models";
    CliRun export =
        CliRun.of(
            "export",
            "--run",
            run.toString(),
            "--store",
            store,
            "--model",
            "tiny",
            "--promote",
            "always");
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("as s3://export-test/models/tiny/versions/");
    CliRun models = CliRun.of("models", "--store", store, "--model", "tiny");
    assertThat(models.out()).contains("1 versions", "complete  <- LATEST");
  }

  @Test
  void wrongCredentialsAreOneClearLine() {
    System.setProperty("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString());
    System.setProperty("aws.accessKeyId", "nobody");
    System.setProperty("aws.secretAccessKey", "wrong");
    System.setProperty("aws.region", "us-east-1");
    CliRun export =
        CliRun.of(
            "export", "--run", run.toString(), "--store", "s3://export-test/x", "--model", "tiny");
    assertThat(export.exitCode()).isNotZero();
    assertThat(export.errorLine())
        .contains("access denied")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void anUnreachableEndpointIsOneClearLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    System.setProperty("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + closedPort);
    System.setProperty("aws.accessKeyId", "a");
    System.setProperty("aws.secretAccessKey", "b");
    System.setProperty("aws.region", "us-east-1");
    CliRun models = CliRun.of("models", "--store", "s3://nowhere/x", "--model", "tiny");
    assertThat(models.exitCode()).isNotZero();
    assertThat(models.errorLine()).contains("cannot reach S3 endpoint").doesNotContain("\n");
  }

  @Test
  void badArgumentsAreOneLine(@TempDir Path store) {
    assertThat(
            CliRun.of(
                    "export",
                    "--run",
                    run.toString(),
                    "--store",
                    store.toString(),
                    "--model",
                    "Bad Name")
                .errorLine())
        .contains("model name")
        .doesNotContain("\n");
    assertThat(
            CliRun.of(
                    "export",
                    "--run",
                    run.toString(),
                    "--store",
                    store.toString(),
                    "--model",
                    "m",
                    "--promote",
                    "sometimes")
                .errorLine())
        .contains("sometimes")
        .doesNotContain("\n");
    assertThat(
            CliRun.of(
                    "export",
                    "--run",
                    shared.resolve("nope").toString(),
                    "--store",
                    store.toString(),
                    "--model",
                    "m")
                .errorLine())
        .contains("not a training run");
  }
}
