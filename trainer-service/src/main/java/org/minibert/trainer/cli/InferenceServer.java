package org.minibert.trainer.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.minibert.trainer.MiniBertCli;

/**
 * The inference service (the Quarkus application of {@code inference-service}) run as a child
 * process of the command line, for {@code serve} and {@code demo}: the same settings as its Quarkus
 * config, passed as system properties; stopped (gracefully: SIGTERM) when the command line exits,
 * Ctrl-C included.
 */
final class InferenceServer implements AutoCloseable {
  /** The service JVM's memory settings; {@code MINIBERT_SERVE_JAVA_OPTS} replaces them. */
  static final String DEFAULT_JAVA_OPTS = "-Xmx512m -XX:MaxDirectMemorySize=128m";

  static final String QUARKUS_RUN = "inference-service/target/quarkus-app/quarkus-run.jar";

  private final Process process;
  private final int port;
  private final Thread stopOnExit;

  private InferenceServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.stopOnExit = new Thread(this::stop, "stop-inference-service");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts the service with its output on this terminal.
   *
   * @param settings Quarkus settings, e.g. {@code minibert.store}, {@code minibert.model}
   */
  static InferenceServer start(int port, Map<String, String> settings) throws IOException {
    Path jar = locate();
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // direct memory: the service's reused batch buffers and Netty's; without a limit it may grow to
    // the heap's size before a GC frees released buffers
    String javaOpts =
        System.getenv().getOrDefault("MINIBERT_SERVE_JAVA_OPTS", DEFAULT_JAVA_OPTS).strip();
    if (!javaOpts.isEmpty()) {
      command.addAll(List.of(javaOpts.split("\\s+")));
    }
    command.add("-Dquarkus.http.port=" + port);
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    Process process = new ProcessBuilder(command).inheritIO().start();
    return new InferenceServer(process, port);
  }

  /**
   * The service's jar: beside this project's checkout ($MINIBERT_HOME, set by bin/minibert, or
   * found from this jar).
   */
  static Path locate() {
    List<Path> roots = new ArrayList<>();
    String home = System.getenv("MINIBERT_HOME");
    if (home != null) {
      roots.add(Path.of(home));
    }
    try {
      Path here =
          Path.of(MiniBertCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        roots.add(p);
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // only the environment then
    }
    for (Path root : roots) {
      Path jar = root.resolve(QUARKUS_RUN);
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        "the inference service is not built: run ./mvnw -B -DskipTests package (bin/minibert does"
            + " it on first use)");
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Waits until {@code /q/health/ready} answers 200; fails when the process exits or the time is
   * up.
   */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the inference service exited with status "
                + process.exitValue()
                + " (see its log above)");
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (ConnectException | java.net.http.HttpTimeoutException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the inference service was not ready after " + timeout.toSeconds() + " s");
  }

  /**
   * Blocks until the service exits (Ctrl-C stops it through the shutdown hook); returns its exit
   * status.
   */
  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  private void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
    }
  }
}
