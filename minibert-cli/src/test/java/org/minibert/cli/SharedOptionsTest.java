package org.minibert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.ObjectStores;
import org.minibert.trainer.run.TrainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The options several commands share have one default each, whichever command takes them. */
class SharedOptionsTest {

  @Test
  void sharedOptionsHaveOneDefaultEverywhere() {
    String store =
        "${env:MINIBERT_STORE:-"
            + ObjectStores.DEFAULT_URI
            + "}"; // before picocli reads the environment
    assertThat(defaults("--store"))
        .containsOnlyKeys("export", "models", "promote", "rollback", "prune", "serve", "demo")
        .allSatisfy((command, value) -> assertThat(value).as(command).isEqualTo(store));
    assertThat(defaults("--threads"))
        .containsOnlyKeys("prepare", "train", "evaluate", "sweep")
        .allSatisfy((command, value) -> assertThat(value).as(command).isEqualTo("0"));
    assertThat(defaults("--seed"))
        .containsOnlyKeys("prepare", "train", "sweep")
        .allSatisfy(
            (command, value) ->
                assertThat(value)
                    .as(command)
                    .isEqualTo(Long.toString(TrainOptions.defaults().seed())));
    assertThat(defaults("--device"))
        .containsKeys("train", "sweep")
        .allSatisfy((command, value) -> assertThat(value).as(command).isEqualTo("auto"));
  }

  /**
   * The default of {@code option} (as declared, variables not resolved) in every (sub)command that
   * declares one ({@code serve} leaves its options' defaults to the service).
   */
  private static Map<String, String> defaults(String option) {
    Map<String, String> found = new TreeMap<>();
    collect(MiniBertCli.newCommandLine(), option, found);
    return found;
  }

  private static void collect(CommandLine command, String option, Map<String, String> found) {
    OptionSpec spec = command.getCommandSpec().findOption(option);
    if (spec != null && (spec.defaultValue() != null || spec.initialValue() != null)) {
      found.put(command.getCommandName(), spec.defaultValueString());
    }
    command.getSubcommands().values().forEach(sub -> collect(sub, option, found));
  }
}
