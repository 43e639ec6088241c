package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The build facts recorded by Maven: the commit is the build's, or "unknown" when the build had no
 * git.
 */
class BuildInfoTest {

  @Test
  void theCommitIsAFullIdOrUnknown() {
    String commit = "0123456789abcdef0123456789abcdef01234567";
    assertThat(BuildInfo.gitCommit(properties(commit))).isEqualTo(commit);
    // a build without .git or without git: the plugin sets nothing and filtering leaves the
    // placeholder
    assertThat(BuildInfo.gitCommit(properties("${git.commit.id.full}"))).isEqualTo("unknown");
    assertThat(BuildInfo.gitCommit(properties(""))).isEqualTo("unknown");
    assertThat(BuildInfo.gitCommit(new Properties())).isEqualTo("unknown");
  }

  @Test
  void theBuiltJarRecordsTheCommitOfTheCheckoutItWasBuiltFrom() throws Exception {
    assertThat(BuildInfo.version()).isNotBlank().doesNotContain("${");
    String head = gitHead();
    assumeTrue(head != null, "not built in a git checkout");
    // a linked worktree (git worktree add) too: its own HEAD, not the main checkout's
    assertThat(BuildInfo.gitCommit()).isEqualTo(head);
  }

  private static Properties properties(String commit) {
    Properties build = new Properties();
    build.setProperty("git.commit", commit);
    return build;
  }

  /**
   * {@code git rev-parse HEAD} in the module folder (where Maven runs the tests), or null without
   * git.
   */
  private static String gitHead() throws InterruptedException {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String line;
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(git.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? line : null;
    } catch (IOException e) {
      return null;
    }
  }
}
