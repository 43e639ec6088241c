package org.minibert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.minibert.trainer.TrainerCli;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} works on every command and subcommand of both command lines (the product's and the
 * trainer image's) and lists that command's options.
 */
class HelpForEveryCommandTest {

  static Stream<List<String>> productCommands() {
    return commandPaths(MiniBertCli.newCommandLine()).stream();
  }

  static Stream<List<String>> trainerCommands() {
    return commandPaths(TrainerCli.newCommandLine()).stream();
  }

  @ParameterizedTest(name = "minibert {0} --help")
  @MethodSource("productCommands")
  void productHelpListsEveryOption(List<String> path) {
    assertHelpListsOptions(MiniBertCli.newCommandLine(), path);
  }

  @ParameterizedTest(name = "trainer {0} --help")
  @MethodSource("trainerCommands")
  void trainerHelpListsEveryOption(List<String> path) {
    assertHelpListsOptions(TrainerCli.newCommandLine(), path);
  }

  @org.junit.jupiter.api.Test
  void everyStageIsACommandAndServeAndDemoOnlyInTheProduct() {
    assertThat(MiniBertCli.newCommandLine().getSubcommands().keySet())
        .contains(
            "prepare", "train", "evaluate", "sweep", "export", "models", "serve", "demo", "help");
    assertThat(TrainerCli.newCommandLine().getSubcommands().keySet())
        .contains("prepare", "train", "evaluate", "sweep", "export", "models")
        .doesNotContain("serve", "demo");
  }

  private static void assertHelpListsOptions(CommandLine root, List<String> path) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    root.setOut(new PrintWriter(out, true));
    root.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(path);
    args.add("--help");

    int status = root.execute(args.toArray(String[]::new));

    assertThat(status).as("exit status; stderr: %s", err).isZero();
    assertThat(err.toString()).isEmpty();
    String help = out.toString();
    assertThat(help).startsWith("Usage: minibert " + String.join(" ", path));
    CommandLine command = root;
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (!option.hidden()) {
        String name = option.longestName();
        // a negatable option is listed as --[no-]name
        // (a switch on by default is declared by its --no- name)
        String listed =
            option.negatable() ? "--[no-]" + name.substring(2).replaceFirst("^no-", "") : name;
        assertThat(help).as("the help of %s", path).contains(listed);
      }
    }
  }

  /** Every command below the root, as the words that name it ({@code [models, promote]}). */
  private static List<List<String>> commandPaths(CommandLine root) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(List.of());
    collect(root, new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> prefix, List<List<String>> out) {
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals("help")) {
                return;
              }
              List<String> path = new ArrayList<>(prefix);
              path.add(name);
              out.add(path);
              collect(sub, path, out);
            });
  }
}
