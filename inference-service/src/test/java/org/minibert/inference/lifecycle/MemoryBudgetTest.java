package org.minibert.inference.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minibert.core.io.FileDigest;
import org.minibert.core.registry.Manifest;

class MemoryBudgetTest {
  private static final long MIB = 1 << 20;

  private static Manifest manifest(long... sizes) {
    List<FileDigest> files = new java.util.ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      files.add(new FileDigest("f" + i, "00", sizes[i]));
    }
    return new Manifest(1, "minibert", "20261203T000000Z-abcdef", "now", files, null, null, null);
  }

  @Test
  void refusesAVersionWhoseFilesTimesTheFactorExceedWhatIsAvailable() {
    MemoryBudget budget = new MemoryBudget(2.0, () -> 1000 * MIB);
    assertThat(budget.refusal(manifest(400 * MIB, 100 * MIB))).isEmpty();
    assertThat(budget.refusal(manifest(400 * MIB, 101 * MIB)))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("20261203T000000Z-abcdef needs about 1002 MiB")
                    .contains("but 1000 MiB are available")
                    .contains("minibert.reload.memory-factor"));
    assertThat(new MemoryBudget(0, () -> 0).refusal(manifest(1 << 30))).isEmpty();
  }

  @Test
  void readsWhatThisMachineHasAvailable() {
    assertThat(MemoryBudget.availableBytes()).isPositive();
  }
}
