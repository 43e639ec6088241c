package org.minibert.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked about docker/*.Dockerfile without a Docker engine: the build context and the
 * Maven build produce every COPY source, the final stage is a JRE image running as a numeric
 * non-root user, the port and the health check match the service, the entrypoint's jar is what
 * {@code package} builds, the caches are writable.
 */
class DockerfilesTest {

  static final Path REPO = Chart.REPO;
  static final Path DOCKER = REPO.resolve("docker");
  static final String BUILD_DIR = "/build/";
  static final Pattern JAR = Pattern.compile("\"-jar\",\\s*\"([^\"]+)\"");

  static Dockerfile read(String name) throws IOException {
    return Dockerfile.read(DOCKER.resolve(name));
  }

  static String pom(String module) throws IOException {
    return Files.readString(REPO.resolve(module).resolve("pom.xml"));
  }

  static boolean inferenceModuleBuildsQuarkus() throws IOException {
    return pom("inference-service").contains("quarkus-maven-plugin");
  }

  /**
   * Paths (relative to the repository) that {@code ./mvnw package} produces, read from the module
   * poms.
   */
  static List<String> mavenOutputs() throws IOException {
    List<String> outputs = new ArrayList<>();
    String trainer = pom("trainer-service");
    assertThat(trainer)
        .contains("<finalName>trainer-service</finalName>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
        .contains("<classpathPrefix>lib/</classpathPrefix>");
    outputs.add("trainer-service/target/trainer-service.jar");
    outputs.add("trainer-service/target/lib/");
    if (inferenceModuleBuildsQuarkus()) {
      // Quarkus' default package type is the fast-jar in target/quarkus-app
      outputs.add("inference-service/target/quarkus-app/");
    }
    return outputs;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "inference.Dockerfile",
        "inference-cuda.Dockerfile",
        "trainer.Dockerfile",
        "trainer-cuda.Dockerfile"
      })
  void contextCopiesExistInTheRepositoryAndBuildCopiesAreMavenOutputs(String file)
      throws IOException {
    Dockerfile df = read(file);
    List<String> outputs = mavenOutputs();
    List<String> pending = new ArrayList<>();
    for (Dockerfile.Stage stage : df.stages()) {
      for (Dockerfile.Instruction i : stage.all("COPY")) {
        Dockerfile.Copy copy = Dockerfile.Copy.of(i);
        String from = copy.flags().get("from");
        for (String src : copy.sources()) {
          if (from == null) {
            Path p = REPO.resolve(src);
            assertThat(p).as("%s:%d COPY %s: not in the repository", file, i.line(), src).exists();
            assertThat(src)
                .as(
                    "%s:%d: build outputs come from the build stage, not the context",
                    file, i.line())
                .doesNotContain("target/");
          } else if (df.stages().stream()
              .anyMatch(s -> from.equals(s.name()) && s.index() < stage.index())) {
            Dockerfile.Stage source = df.stage(from);
            if (source.image().startsWith("maven:")) {
              assertThat(src).as("%s:%d", file, i.line()).startsWith(BUILD_DIR);
              String rel = src.substring(BUILD_DIR.length());
              boolean produced =
                  outputs.stream()
                      .anyMatch(o -> rel.equals(o) || (o.endsWith("/") && rel.startsWith(o)));
              if (!produced
                  && rel.startsWith("inference-service/target/quarkus-app/")
                  && !inferenceModuleBuildsQuarkus()) {
                pending.add(rel);
              } else {
                assertThat(produced)
                    .as(
                        "%s:%d COPY --from=%s %s is not produced by the Maven build %s",
                        file, i.line(), from, src, outputs)
                    .isTrue();
              }
            } else {
              // a JRE copied out of the Temurin image of the same OS release
              assertThat(source.image())
                  .as("%s:%d", file, i.line())
                  .startsWith("eclipse-temurin:17-jre");
              assertThat(src).isEqualTo("/opt/java/openjdk");
            }
          } else {
            throw new AssertionError(
                file + ":" + i.line() + ": COPY --from=" + from + " names no earlier stage");
          }
        }
      }
    }
    assumeTrue(
        pending.isEmpty(),
        "inference-service does not build a Quarkus fast-jar yet (placeholder pom): "
            + "not checked "
            + pending);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "inference.Dockerfile",
        "inference-cuda.Dockerfile",
        "trainer.Dockerfile",
        "trainer-cuda.Dockerfile"
      })
  void buildStageHasTheWholeReactorAndTheWrappersMaven(String file) throws IOException {
    Dockerfile df = read(file);
    Dockerfile.Stage build = df.stage("build");
    // Maven reads every module of the reactor, even with -pl: each module's pom must be in the
    // build stage
    Matcher m =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(REPO.resolve("pom.xml")));
    List<String> copied =
        build.all("COPY").stream().flatMap(i -> Dockerfile.Copy.of(i).sources().stream()).toList();
    while (m.find()) {
      String module = m.group(1);
      assertThat(copied)
          .as("%s: module %s", file, module)
          .anyMatch(s -> s.equals(module + "/pom.xml") || s.equals(module + "/"));
    }
    assertThat(copied).contains("pom.xml");
    // the Maven of the build image is the wrapper's
    Properties wrapper = new Properties();
    try (var in = Files.newInputStream(REPO.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
      wrapper.load(in);
    }
    Matcher v =
        Pattern.compile("apache-maven-([0-9.]+)-bin")
            .matcher(wrapper.getProperty("distributionUrl"));
    assertThat(v.find()).isTrue();
    assertThat(build.image()).startsWith("maven:" + v.group(1) + "-eclipse-temurin-17@sha256:");
    String run =
        String.join("\n", build.all("RUN").stream().map(Dockerfile.Instruction::args).toList());
    assertThat(run).contains("-DskipTests").contains(" package");
    String module = file.startsWith("inference") ? "inference-service" : "trainer-service";
    assertThat(run).contains("-pl " + module + " -am");
    if (file.equals("inference-cuda.Dockerfile")) {
      assertThat(run).as("the CUDA image builds the GPU ONNX Runtime profile").contains("-Pgpu");
    } else {
      assertThat(run).as("the default build has the CPU ONNX Runtime jar").doesNotContain("-Pgpu");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "inference.Dockerfile",
        "inference-cuda.Dockerfile",
        "trainer.Dockerfile",
        "trainer-cuda.Dockerfile"
      })
  void finalStageIsARuntimeImageRunningAsANumericNonRootUser(String file) throws IOException {
    Dockerfile df = read(file);
    Dockerfile.Stage fin = df.finalStage();
    assertThat(fin.name()).as("the last stage is the image").isNull();
    assertThat(fin.image())
        .as("%s: no JDK or Maven in the final image", file)
        .doesNotStartWith("maven:")
        .doesNotContain("-jdk")
        .doesNotContain("devel");
    assertThat(fin.image())
        .matches(
            i -> i.startsWith("eclipse-temurin:17-jre") || i.contains("runtime"),
            "a runtime image");
    List<Dockerfile.Instruction> users = fin.all("USER");
    assertThat(users).as("%s: USER in the final stage", file).isNotEmpty();
    String user = users.get(users.size() - 1).args();
    assertThat(user).as("numeric, so that runAsNonRoot can verify it").matches("[0-9]+(:[0-9]+)?");
    long uid = Long.parseLong(user.split(":")[0]);
    assertThat(uid).isPositive();
    // the chart runs the pods as the same uid
    Map<String, Object> values =
        new Yaml().load(Files.readString(Chart.CHART.resolve("values.yaml")));
    assertThat(((Map<?, ?>) values.get("podSecurityContext")).get("runAsUser"))
        .isEqualTo((int) uid);
    // no build tools installed in the image
    String runs =
        String.join("\n", fin.all("RUN").stream().map(Dockerfile.Instruction::args).toList());
    assertThat(runs).doesNotContain("apt-get install", "mvn ", "gradle", "gcc", "build-essential");
    // nothing after USER switches back to root
    assertThat(fin.instructions().get(fin.instructions().size() - 1).line())
        .isGreaterThan(users.get(0).line());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "inference.Dockerfile",
        "inference-cuda.Dockerfile",
        "trainer.Dockerfile",
        "trainer-cuda.Dockerfile"
      })
  void nativeCachesAndTempFilesGoToWritablePathsAndTheHeapIsSizedForContainers(String file)
      throws IOException {
    Map<String, String> env = read(file).finalStage().env();
    assertThat(env)
        .containsEntry("DJL_CACHE_DIR", "/cache/djl")
        .containsEntry("ENGINE_CACHE_DIR", "/cache/djl")
        .containsEntry("HOME", "/cache/home");
    String opts = env.get("JAVA_TOOL_OPTIONS");
    assertThat(opts)
        .contains("-Djava.io.tmpdir=/tmp")
        .contains("-XX:+ExitOnOutOfMemoryError")
        .containsPattern("-XX:MaxRAMPercentage=[0-9]+");
    // the chart mounts emptyDirs exactly there
    String deployment =
        Files.readString(Chart.CHART.resolve("templates/inference-deployment.yaml"));
    assertThat(deployment).contains("mountPath: /cache").contains("mountPath: /tmp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"inference.Dockerfile", "inference-cuda.Dockerfile"})
  void inferenceImagesExposeTheServicePortWithAHealthCheck(String file) throws IOException {
    Dockerfile.Stage fin = read(file).finalStage();
    Map<String, Object> values =
        new Yaml().load(Files.readString(Chart.CHART.resolve("values.yaml")));
    int chartPort = (Integer) ((Map<?, ?>) values.get("inference")).get("port");
    Path props = REPO.resolve("inference-service/src/main/resources/application.properties");
    int servicePort = 8080; // Quarkus' default quarkus.http.port
    if (Files.exists(props)) {
      Matcher m =
          Pattern.compile("(?m)^quarkus\\.http\\.port\\s*=\\s*(\\d+)")
              .matcher(Files.readString(props));
      if (m.find()) {
        servicePort = Integer.parseInt(m.group(1));
      }
    }
    assertThat(fin.all("EXPOSE"))
        .extracting(Dockerfile.Instruction::args)
        .containsExactly(servicePort + " 9000");
    assertThat(chartPort).isEqualTo(servicePort);
    assertThat(fin.env()).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(servicePort));
    assertThat(fin.all("HEALTHCHECK"))
        .singleElement()
        .satisfies(
            h ->
                assertThat(h.args())
                    .contains("--start-period=")
                    .contains(
                        "CMD [\"/usr/local/bin/minibert-healthcheck\", \"/q/health/ready\"]"));
    assertThat(fin.all("COPY"))
        .extracting(Dockerfile.Instruction::args)
        .contains("--chmod=0755 docker/healthcheck.sh /usr/local/bin/minibert-healthcheck");
    assertThat(fin.all("ENTRYPOINT"))
        .extracting(Dockerfile.Instruction::args)
        .containsExactly("[\"java\", \"-jar\", \"/app/quarkus-run.jar\"]");
    // the whole fast-jar layout is copied next to the runner
    assertThat(fin.all("COPY"))
        .extracting(Dockerfile.Instruction::args)
        .anyMatch(a -> a.endsWith("quarkus-app/quarkus-run.jar /app/quarkus-run.jar"))
        .anyMatch(a -> a.endsWith("quarkus-app/lib/ /app/lib/"))
        .anyMatch(a -> a.endsWith("quarkus-app/app/ /app/app/"))
        .anyMatch(a -> a.endsWith("quarkus-app/quarkus/ /app/quarkus/"));
  }

  /**
   * The HEALTHCHECK script (bash only, no curl in the image) against a real HTTP server: 200
   * healthy, else not.
   */
  @Test
  void healthCheckScriptFollowsTheReadinessStatus() throws Exception {
    Path script = DOCKER.resolve("healthcheck.sh");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(Files.readString(script)).startsWith("#!/bin/bash");
    int[] status = {503};
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/q/health/ready",
        ex -> {
          byte[] body = "{}".getBytes();
          ex.sendResponseHeaders(status[0], body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    try {
      assertThat(healthcheck(script, port)).as("503: not ready").isEqualTo(1);
      status[0] = 200;
      assertThat(healthcheck(script, port)).as("200: ready").isZero();
    } finally {
      server.stop(0);
    }
    assertThat(healthcheck(script, port)).as("nothing listening").isEqualTo(1);
  }

  /** With the management interface on (as in the images), the check goes to its port. */
  @Test
  void healthCheckScriptUsesTheManagementPortWhenEnabled() throws Exception {
    Path script = DOCKER.resolve("healthcheck.sh");
    HttpServer management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    management.createContext(
        "/q/health/ready",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    management.start();
    try {
      int port = management.getAddress().getPort();
      Map<String, String> on =
          Map.of(
              "QUARKUS_MANAGEMENT_ENABLED", "true",
              "QUARKUS_MANAGEMENT_PORT", String.valueOf(port),
              "QUARKUS_HTTP_PORT", "1");
      assertThat(healthcheck(script, on)).isZero();
      Map<String, String> off =
          Map.of("QUARKUS_MANAGEMENT_PORT", String.valueOf(port), "QUARKUS_HTTP_PORT", "1");
      assertThat(healthcheck(script, off)).as("API port without management").isEqualTo(1);
    } finally {
      management.stop(0);
    }
  }

  static int healthcheck(Path script, int port) throws Exception {
    return healthcheck(script, Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)));
  }

  static int healthcheck(Path script, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), "/q/health/ready").redirectErrorStream(true);
    pb.environment().remove("QUARKUS_MANAGEMENT_ENABLED");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  /**
   * Every base image is pinned by digest (a tag can be moved to other content), and the line above
   * names the tag the digest was taken from.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "inference.Dockerfile",
        "inference-cuda.Dockerfile",
        "trainer.Dockerfile",
        "trainer-cuda.Dockerfile"
      })
  void baseImagesArePinnedByDigestWithTheirTagInAComment(String file) throws IOException {
    List<String> lines = Files.readAllLines(DOCKER.resolve(file));
    Pattern pinned = Pattern.compile("^ARG \\w+_IMAGE=(\\S+):(\\S+)@sha256:[0-9a-f]{64}$");
    int images = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.matches("^ARG \\w+_IMAGE=.*")) {
        Matcher m = pinned.matcher(line);
        assertThat(m.matches()).as("%s:%d pinned by digest: %s", file, i + 1, line).isTrue();
        assertThat(lines.get(i - 1))
            .as("%s:%d names the tag", file, i + 1)
            .isEqualTo("# " + m.group(1) + ":" + m.group(2));
        images++;
      }
    }
    assertThat(images).isGreaterThanOrEqualTo(2);
    for (Dockerfile.Stage stage : read(file).stages()) {
      assertThat(stage.image()).as("%s: stage %s", file, stage.name()).contains("@sha256:");
    }
  }

  /** Health and metrics on the management port by default, as the chart expects. */
  @ParameterizedTest
  @ValueSource(strings = {"inference.Dockerfile", "inference-cuda.Dockerfile"})
  void inferenceImagesEnableTheManagementInterface(String file) throws IOException {
    Dockerfile df = read(file);
    String buildRuns =
        String.join(
            "\n",
            df.stages().get(df.stages().size() - 2).all("RUN").stream()
                .map(Dockerfile.Instruction::args)
                .toList());
    assertThat(buildRuns).contains("-Dquarkus.management.enabled=${MANAGEMENT_INTERFACE}");
    String text = Files.readString(DOCKER.resolve(file));
    assertThat(text).containsPattern("(?m)^ARG MANAGEMENT_INTERFACE=true$");
    assertThat(df.finalStage().env())
        .containsEntry("QUARKUS_MANAGEMENT_ENABLED", "${MANAGEMENT_INTERFACE}")
        .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
    Map<String, Object> values =
        new Yaml().load(Files.readString(Chart.CHART.resolve("values.yaml")));
    Map<?, ?> management = (Map<?, ?>) ((Map<?, ?>) values.get("inference")).get("management");
    assertThat(management.get("enabled")).isEqualTo(true);
    assertThat(management.get("port")).isEqualTo(9000);
  }

  /** ./mvnw refuses a Maven distribution whose SHA-256 is not the one recorded. */
  @Test
  void theMavenWrapperChecksTheDistributionsSha256() throws IOException {
    Properties wrapper = new Properties();
    try (var in = Files.newInputStream(REPO.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
      wrapper.load(in);
    }
    assertThat(wrapper.getProperty("distributionSha256Sum", "")).matches("[0-9a-f]{64}");
    assertThat(wrapper.getProperty("distributionUrl"))
        .startsWith("https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/");
    // the script reads the property and compares (only-script: there is no wrapper jar to check)
    assertThat(wrapper.getProperty("distributionType")).isEqualTo("only-script");
    assertThat(Files.readString(REPO.resolve("mvnw"))).contains("distributionSha256Sum");
  }

  @ParameterizedTest
  @ValueSource(strings = {"trainer.Dockerfile", "trainer-cuda.Dockerfile"})
  void trainerEntrypointRunsTheThinJarOfflineWithItsLibFolder(String file) throws IOException {
    Dockerfile.Stage fin = read(file).finalStage();
    List<String> entry = fin.all("ENTRYPOINT").stream().map(Dockerfile.Instruction::args).toList();
    assertThat(entry)
        .singleElement()
        .satisfies(e -> assertThat(e).contains("\"-Dai.djl.offline=true\""));
    Matcher jar = JAR.matcher(entry.get(0));
    assertThat(jar.find()).isTrue();
    String jarPath = jar.group(1);
    List<Dockerfile.Copy> copies = fin.all("COPY").stream().map(Dockerfile.Copy::of).toList();
    // the jar and lib/ (its manifest's Class-Path prefix) land side by side
    assertThat(copies)
        .anySatisfy(
            c -> {
              assertThat(c.destination()).isEqualTo(jarPath);
              assertThat(c.sources())
                  .containsExactly(BUILD_DIR + "trainer-service/target/trainer-service.jar");
            });
    String dir = jarPath.substring(0, jarPath.lastIndexOf('/') + 1);
    assertThat(copies)
        .anySatisfy(
            c -> {
              assertThat(c.destination()).isEqualTo(dir + "lib/");
              assertThat(c.sources()).containsExactly(BUILD_DIR + "trainer-service/target/lib/");
            });
    assertThat(copies).anySatisfy(c -> assertThat(c.sources()).containsExactly("samples/"));
    assertThat(fin.env()).containsEntry("DJL_OFFLINE", "true");
    assertThat(fin.all("EXPOSE")).isEmpty();
  }

  @Test
  void trainerCudaPointsDjlAtTheBaseImagesLibtorch() throws IOException {
    Dockerfile df = read("trainer-cuda.Dockerfile");
    Dockerfile.Stage fin = df.finalStage();
    String pytorch = versionProperty("pytorch.version");
    assertThat(fin.image())
        .startsWith("pytorch/pytorch:" + pytorch + "-cuda12.8-cudnn9-runtime@sha256:");
    assertThat(fin.env())
        .containsEntry("PYTORCH_VERSION", pytorch)
        .containsEntry("PYTORCH_FLAVOR", "cu128")
        .containsEntry("PYTORCH_LIBRARY_PATH", "${PYTORCH_LIBRARY_PATH}");
    assertThat(fin.all("ARG"))
        .extracting(Dockerfile.Instruction::args)
        .anyMatch(a -> a.startsWith("PYTORCH_LIBRARY_PATH=/") && a.endsWith("/torch/lib"));
    // the image build fails early when the base image has no libtorch where DJL will look
    assertThat(fin.all("RUN"))
        .extracting(Dockerfile.Instruction::args)
        .anyMatch(a -> a.contains("test -f \"${PYTORCH_LIBRARY_PATH}/libtorch.so\""));
  }

  @Test
  void inferenceCudaUsesCuda12WithCudnn9() throws IOException {
    Dockerfile.Stage fin = read("inference-cuda.Dockerfile").finalStage();
    assertThat(fin.image())
        .matches("nvidia/cuda:12\\.[0-9.]+-cudnn-runtime-ubuntu24\\.04@sha256:[0-9a-f]{64}");
    assertThat(fin.env()).containsEntry("MINIBERT_DEVICE", "cuda");
    // the JRE comes from the Temurin image of the same Ubuntu release (glibc)
    assertThat(read("inference-cuda.Dockerfile").stage("jre").image())
        .startsWith("eclipse-temurin:17-jre-noble@sha256:");
    assertThat(read("trainer-cuda.Dockerfile").stage("jre").image())
        .startsWith("eclipse-temurin:17-jre-jammy@sha256:");
  }

  /**
   * The JNI library that trainer-cuda relies on is in the pytorch-jni jar (when the jar is
   * available locally).
   */
  @Test
  void pytorchJniJarCarriesTheCu128Library() throws IOException {
    String version = versionProperty("pytorch.version") + "-" + versionProperty("djl.version");
    Path jar = REPO.resolve("trainer-service/target/lib/pytorch-jni-" + version + ".jar");
    if (!Files.exists(jar)) {
      jar =
          Path.of(
              System.getProperty("user.home"),
              ".m2/repository/ai/djl/pytorch/pytorch-jni",
              version,
              "pytorch-jni-" + version + ".jar");
    }
    assumeTrue(
        Files.exists(jar),
        "pytorch-jni " + version + " is neither built nor in the local Maven repository");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.getEntry("jnilib/linux-x86_64/cu128/libdjl_torch.so"))
          .as(jar.toString())
          .isNotNull();
    }
  }

  /**
   * After {@code package}: the jar the trainer images run exists and its Class-Path resolves in
   * target/lib.
   */
  @Test
  void trainerJarAfterPackage() throws IOException {
    Path jar = REPO.resolve("trainer-service/target/trainer-service.jar");
    assumeTrue(
        Files.exists(jar),
        "trainer-service is not packaged in this checkout (run ./mvnw -DskipTests package)");
    try (JarFile jf = new JarFile(jar.toFile())) {
      Attributes main = jf.getManifest().getMainAttributes();
      assertThat(main.getValue("Main-Class")).isNotBlank();
      List<String> cp = Arrays.asList(main.getValue("Class-Path").trim().split("\\s+"));
      assertThat(cp)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e).startsWith("lib/");
                assertThat(REPO.resolve("trainer-service/target").resolve(e)).exists();
              });
    }
  }

  /** After {@code package}: the Quarkus fast-jar the inference images copy exists. */
  @Test
  void inferenceFastJarAfterPackage() throws IOException {
    assumeTrue(
        inferenceModuleBuildsQuarkus(),
        "inference-service is still a placeholder module (no Quarkus build yet)");
    Path app = REPO.resolve("inference-service/target/quarkus-app");
    assumeTrue(
        Files.isDirectory(app),
        "inference-service is not packaged in this checkout (run ./mvnw -DskipTests package)");
    for (String p : List.of("quarkus-run.jar", "lib", "app", "quarkus")) {
      assertThat(app.resolve(p)).exists();
    }
  }

  @Test
  void dockerignoreKeepsBuildOutputsOutOfTheContext() throws IOException {
    List<String> ignore = Files.readAllLines(REPO.resolve(".dockerignore"));
    assertThat(ignore).contains("**/target/", ".git/");
    assertThat(ignore)
        .noneMatch(l -> l.equals("samples/") || l.equals("docker/") || l.startsWith("*.xml"));
  }

  static String versionProperty(String name) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
            .matcher(Files.readString(REPO.resolve("pom.xml")));
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }
}
