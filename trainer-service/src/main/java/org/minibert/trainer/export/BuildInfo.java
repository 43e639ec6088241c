package org.minibert.trainer.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about the build of this jar, written by Maven into {@code build.properties} (filtered from
 * {@code src/main/resources-filtered}): the project version and the git commit the jar was built
 * from (recorded by git-commit-id-maven-plugin, see trainer-service's pom). Recorded at build time,
 * not looked up at export time, so an installed jar tells which sources it was built from wherever
 * it runs.
 */
final class BuildInfo {

  static final String UNKNOWN = "unknown";
  static final String RESOURCE = "build.properties";

  private static final Properties BUILD = load();

  private BuildInfo() {}

  /** The project version, {@code "unknown"} without the resource. */
  static String version() {
    return BUILD.getProperty("version", UNKNOWN);
  }

  /**
   * The full commit id of the sources this jar was built from, or {@code "unknown"} (built without
   * git).
   */
  static String gitCommit() {
    return gitCommit(BUILD);
  }

  /**
   * The commit in {@code build}: 40 hex digits, else {@code "unknown"}. A build without a git
   * repository (a source tarball) or without git leaves the property unset, and filtering then
   * leaves its {@code ${...}} placeholder.
   */
  static String gitCommit(Properties build) {
    String commit = build.getProperty("git.commit", "");
    return commit.matches("[0-9a-f]{40}") ? commit : UNKNOWN;
  }

  private static Properties load() {
    Properties build = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        build.load(in);
      }
      return build;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
