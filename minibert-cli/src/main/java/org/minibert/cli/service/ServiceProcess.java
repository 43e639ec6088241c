package org.minibert.cli.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged inference service (the Quarkus application of {@code inference-service}) run as a
 * child process: by {@code serve} and {@code demo}, by the end-to-end tests and by the benchmarks.
 * Settings are the service's own Quarkus keys, passed as system properties, so that every default
 * stays in the service's configuration. The process is stopped gracefully (SIGTERM) on {@link
 * #close()} and when this JVM exits, Ctrl-C included.
 */
public final class ServiceProcess implements AutoCloseable {
  /** Where a build of this checkout puts the service, relative to the checkout's root. */
  public static final String QUARKUS_RUN = "inference-service/target/quarkus-app/quarkus-run.jar";

  /** The service JVM's memory settings unless {@link Builder#javaOptions} replaces them. */
  public static final String DEFAULT_JAVA_OPTS = "-Xmx512m -XX:MaxDirectMemorySize=128m";

  /** The packaged service's management interface (health, metrics) unless told otherwise. */
  public static final int DEFAULT_MANAGEMENT_PORT = 9000;

  private final Process process;
  private final Integer port;
  private final int managementPort;
  private final Path log;
  private final Thread stopOnExit;

  private ServiceProcess(Process process, Integer port, int managementPort, Path log) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
    this.stopOnExit = new Thread(this::stop, "stop-inference-service");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The service's jar: {@code -Dminibert.service.jar} or {@code $MINIBERT_SERVICE_JAR} when set
   * (the launcher and images set it), else the build output of the checkout this code runs from
   * ({@code $MINIBERT_HOME}, or the folders above this class's jar).
   */
  public static Path locateJar() {
    String given =
        System.getProperty("minibert.service.jar", System.getenv("MINIBERT_SERVICE_JAR"));
    if (given != null && !given.isBlank()) {
      Path jar = Path.of(given);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("the inference service jar " + jar + " does not exist");
      }
      return jar;
    }
    List<Path> roots = new ArrayList<>();
    String home = System.getenv("MINIBERT_HOME");
    if (home != null) {
      roots.add(Path.of(home));
    }
    try {
      Path here =
          Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here.toAbsolutePath(); p != null; p = p.getParent()) {
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

  /** A free TCP port on this machine, for a service that another process must not take. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The service's address, when its port was chosen here (see {@link Builder#port}). */
  public URI baseUri() {
    if (port == null) {
      throw new IllegalStateException("the service's port was left to its own configuration");
    }
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The management interface's address: health ({@code /q/health/*}) and metrics. */
  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort);
  }

  public Process process() {
    return process;
  }

  /** The service's output so far, when it goes to a log file; empty otherwise. */
  public String log() {
    if (log == null) {
      return "";
    }
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Waits until {@code /q/health/ready} answers 200 on the management port; fails when the process
   * exits or the time is up.
   */
  public ServiceProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(managementUri().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the inference service exited with status "
                + process.exitValue()
                + (log == null ? " (see its log above)" : "; its log:\n" + log()));
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return this;
        }
      } catch (ConnectException | HttpTimeoutException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the inference service was not ready after "
            + timeout.toSeconds()
            + " s"
            + (log == null ? "" : "; its log:\n" + log()));
  }

  /** Blocks until the service exits; returns its exit status. */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** SIGTERM, then up to 20 s for the service's graceful shutdown, then SIGKILL. */
  public void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
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

  /** How to start the service; every setting not given keeps the service's own default. */
  public static final class Builder {
    private Path jar;
    private Integer port;
    private Integer managementPort;
    private String javaOptions;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path log;

    private Builder() {}

    /** The jar to run (default: {@link #locateJar()}). */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /**
     * The HTTP port; 0 picks a free one; null (the default) leaves it to the service's
     * configuration ({@code quarkus.http.port}).
     */
    public Builder port(Integer port) {
      this.port = port;
      return this;
    }

    /**
     * The management interface's port (health, metrics); 0 picks a free one; null (the default)
     * leaves it to the service's configuration, except beside a free HTTP port ({@code port(0)}),
     * which gets a free management port too, so that services side by side do not collide.
     */
    public Builder managementPort(Integer managementPort) {
      this.managementPort = managementPort;
      return this;
    }

    /**
     * The service JVM's options (default: {@code $MINIBERT_SERVE_JAVA_OPTS}, else {@link
     * #DEFAULT_JAVA_OPTS}).
     */
    public Builder javaOptions(String javaOptions) {
      this.javaOptions = javaOptions;
      return this;
    }

    /** A Quarkus setting of the service, e.g. {@code minibert.store}. */
    public Builder setting(String key, String value) {
      settings.put(key, value);
      return this;
    }

    public Builder settings(Map<String, String> more) {
      settings.putAll(more);
      return this;
    }

    /** An environment variable of the service's process (e.g. S3 credentials). */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** The service's output goes to this file instead of this process's terminal. */
    public Builder logTo(Path file) {
      this.log = file;
      return this;
    }

    public ServiceProcess start() throws IOException {
      Path serviceJar = jar != null ? jar : locateJar();
      Integer chosenPort = port != null && port == 0 ? Integer.valueOf(freePort()) : port;
      Integer management =
          managementPort == null && port != null && port == 0 ? Integer.valueOf(0) : managementPort;
      Integer chosenManagement =
          management != null && management == 0 ? Integer.valueOf(freePort()) : management;
      List<String> command =
          new ArrayList<>(
              List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      // direct memory: the service's reused batch buffers and Netty's; without a limit it may grow
      // to the heap's size before a GC frees released buffers
      String options =
          javaOptions != null
              ? javaOptions
              : System.getenv().getOrDefault("MINIBERT_SERVE_JAVA_OPTS", DEFAULT_JAVA_OPTS);
      if (!options.isBlank()) {
        command.addAll(List.of(options.strip().split("\\s+")));
      }
      if (chosenPort != null) {
        command.add("-Dquarkus.http.port=" + chosenPort);
      }
      if (chosenManagement != null) {
        command.add("-Dquarkus.management.port=" + chosenManagement);
      }
      settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-jar");
      command.add(serviceJar.toString());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      if (log == null) {
        builder.inheritIO();
      } else {
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
      }
      return new ServiceProcess(
          builder.start(),
          chosenPort,
          chosenManagement != null ? chosenManagement : DEFAULT_MANAGEMENT_PORT,
          log);
    }
  }
}
