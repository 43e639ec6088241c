package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.VersionDetails;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.store.S3ProxyServer;

/** models promote, rollback and prune through the command line, on a folder and on S3. */
class ModelsRollbackCommandTest {
  @TempDir Path tmp;

  @AfterEach
  void clearS3Settings() {
    for (String name :
        new String[] {
          "AWS_ENDPOINT_URL_S3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region"
        }) {
      System.clearProperty(name);
    }
  }

  String store(String kind) {
    if (kind.equals("local")) {
      return tmp.resolve("store").toString();
    }
    System.setProperty("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString());
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
    return "s3://rollback-test/" + UUID.randomUUID();
  }

  String publish(ObjectStore objects, String name, double loss) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve(name));
    Files.writeString(folder.resolve("model.onnx"), "onnx " + name);
    return new ModelRepository(objects, "kobert")
        .publish(folder, new VersionDetails(null, null, loss), Promotion.IF_BETTER)
        .version();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void promoteRollbackPrune(String kind) throws Exception {
    String store = store(kind);
    String a;
    String b;
    String c;
    try (ObjectStore objects = ObjectStores.open(store)) {
      a = publish(objects, "a", 5.0);
      Thread.sleep(1100); // version ids carry the second
      b = publish(objects, "b", 4.0);
      Thread.sleep(1100);
      c = publish(objects, "c", 9.0); // worse: not promoted
    }
    CliRun promote =
        CliRun.of("models", "promote", "--store", store, "--model", "kobert", "--version", c);
    assertThat(promote.exitCode()).as(promote.err()).isZero();
    assertThat(promote.out()).isEqualTo("kobert: promoted " + c + " (was " + b + ")\n");

    CliRun list = CliRun.of("models", "--store", store, "--model", "kobert");
    assertThat(list.out()).contains("LATEST " + c, "rollback target: " + b);

    CliRun rollback = CliRun.of("models", "rollback", "--store", store, "--model", "kobert");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).isEqualTo("kobert: rolled back from " + c + " to " + b + "\n");

    // keep 1: c is the newest, b is LATEST, a is b's rollback target: nothing may go
    CliRun keepAll =
        CliRun.of("models", "prune", "--store", store, "--model", "kobert", "--keep", "1");
    assertThat(keepAll.exitCode()).as(keepAll.err()).isZero();
    assertThat(keepAll.out()).isEqualTo("kobert: deleted 0 versions\n");

    CliRun again = CliRun.of("models", "rollback", "--store", store, "--model", "kobert");
    assertThat(again.out()).isEqualTo("kobert: rolled back from " + b + " to " + a + "\n");
    CliRun prune =
        CliRun.of("models", "prune", "--store", store, "--model", "kobert", "--keep", "1");
    assertThat(prune.out()).isEqualTo("kobert: deleted 1 version: " + b + "\n");

    CliRun nothing = CliRun.of("models", "rollback", "--store", store, "--model", "kobert");
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.errorLine())
        .doesNotContain("\n")
        .startsWith("minibert rollback: error: nothing to roll back to");

    CliRun unknown =
        CliRun.of("models", "promote", "--store", store, "--model", "kobert", "--version", "nope");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.errorLine()).doesNotContain("\n").contains("nope");
  }
}
