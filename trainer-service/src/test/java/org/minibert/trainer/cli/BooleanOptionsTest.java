package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.TrainerCli;
import org.minibert.trainer.run.RunConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every on/off switch of every command means what its spelling says: {@code --x} turns it on and,
 * for a negatable switch, {@code --no-x} turns it off, whatever the default; and train records the
 * value it trained with in the run's config.json.
 */
class BooleanOptionsTest {
  @TempDir static Path shared;
  static Path data;
  static Path tiny;

  @BeforeAll
  static void prepare() {
    data = TinyRuns.prepareSample(shared.resolve("data"), 400, 64);
    tiny = TinyRuns.tinyConfig(shared.resolve("tiny.json"), 32, 1, 64);
  }

  /** A boolean switch of a (sub)command, by the command's path from the top. */
  record Switch(List<String> command, OptionSpec option) {
    String positive() {
      String name = option.longestName();
      // a switch that is on by default may be declared by its "--no-" name
      return name.startsWith("--no-") ? "--" + name.substring(5) : name;
    }

    /** The "--no-" spelling of a negatable switch. */
    String negative() {
      return "--no-" + positive().substring(2);
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " " + positive();
    }
  }

  @Test
  void everySwitchParsesAsSpelled() {
    List<Switch> switches = switches();
    assertThat(switches)
        .extracting(Switch::toString)
        .contains("train --whole-word-masking", "train --static-masking", "train --resume");
    for (Switch s : switches) {
      assertThat(parsedValue(s, s.positive())).as(s + " given").isTrue();
      if (s.option().negatable()) {
        assertThat(parsedValue(s, s.negative())).as(s + " negated").isFalse();
      } else {
        assertThat(parsedValue(s, null)).as(s + " left out").isFalse();
      }
    }
  }

  @Test
  void trainRecordsEachSpellingInConfigJson(@TempDir Path tmp) throws IOException {
    Map<String, String> recorded =
        Map.of("--whole-word-masking", "whole_word_masking", "--static-masking", "static_masking");
    int checked = 0;
    for (Switch s : switches()) {
      String key = recorded.get(s.positive());
      if (!s.command().equals(List.of("train")) || key == null) {
        continue;
      }
      checked++;
      assertThat(trainedWith(tmp, s.positive()).get(key).asBoolean()).as(s.positive()).isTrue();
      if (s.option().negatable()) {
        assertThat(trainedWith(tmp, s.negative()).get(key).asBoolean()).as(s.negative()).isFalse();
      }
    }
    assertThat(checked).isEqualTo(recorded.size());
  }

  /** The "training" object of config.json of a one-step run started with {@code flag}. */
  private static JsonNode trainedWith(Path tmp, String flag) throws IOException {
    Path run = tmp.resolve("run" + flag);
    CliRun train =
        CliRun.of(
            "train",
            "--data",
            data.toString(),
            "--config",
            tiny.toString(),
            "--out",
            run.toString(),
            "--max-steps",
            "1",
            "--eval-instances",
            "4",
            flag);
    assertThat(train.exitCode()).as(train.err()).isZero();
    return Json.MAPPER.readTree(run.resolve(RunConfig.FILE).toFile()).get("training");
  }

  /**
   * The value the switch's field holds after parsing the command with {@code flag} (none when null)
   * and a placeholder for every required argument.
   */
  private static boolean parsedValue(Switch s, String flag) {
    CommandLine top = TrainerCli.newCommandLine();
    CommandLine command = top;
    for (String name : s.command()) {
      command = command.getSubcommands().get(name);
    }
    List<String> args = new ArrayList<>(s.command());
    for (ArgSpec arg : command.getCommandSpec().args()) {
      if (arg.required()) {
        if (arg instanceof OptionSpec o) {
          args.add(o.longestName());
        }
        args.add("1");
      }
    }
    if (flag != null) {
      args.add(flag);
    }
    top.parseArgs(args.toArray(String[]::new));
    OptionSpec option = command.getCommandSpec().findOption(s.option().longestName());
    return option.<Boolean>getValue();
  }

  private static List<Switch> switches() {
    List<Switch> found = new ArrayList<>();
    collect(TrainerCli.newCommandLine(), new ArrayList<>(), found);
    return found;
  }

  private static void collect(CommandLine command, List<String> path, List<Switch> found) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      boolean isSwitch = option.type() == boolean.class || option.type() == Boolean.class;
      if (isSwitch && !option.usageHelp() && !option.versionHelp()) {
        found.add(new Switch(List.copyOf(path), option));
      }
    }
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> subPath = new ArrayList<>(path);
              subPath.add(name);
              collect(sub, subPath, found);
            });
  }
}
