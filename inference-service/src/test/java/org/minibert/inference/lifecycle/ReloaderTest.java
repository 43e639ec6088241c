package org.minibert.inference.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.minibert.core.registry.VersionIntegrityException;
import org.minibert.core.store.StoreException;

/** The loader's policy, step by step, against a scripted store. */
class ReloaderTest {
  private static final Duration POLL = Duration.ofSeconds(30);

  /** Steps whose failures are scripted: each call to load() takes the next outcome. */
  private static final class Script implements Reloader.Steps {
    String latest;
    String serving;
    String refusal;
    Throwable wantedFails;
    final Deque<Throwable> loadOutcomes = new ArrayDeque<>();
    final List<String> attempts = new ArrayList<>();
    String notReady;

    @Override
    public Optional<String> wanted() throws Exception {
      if (wantedFails != null) {
        Throwable e = wantedFails;
        wantedFails = null;
        sneaky(e);
      }
      return Optional.ofNullable(latest);
    }

    @Override
    public String serving() {
      return serving;
    }

    @Override
    public Optional<String> refusal(String version) {
      return Optional.ofNullable(refusal);
    }

    @Override
    public void load(String version) throws Exception {
      attempts.add(version);
      Throwable outcome = loadOutcomes.poll();
      if (outcome != null) {
        sneaky(outcome);
      }
      serving = version;
    }

    @Override
    public void notReady(String reason) {
      notReady = reason;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable e) throws E {
      throw (E) e;
    }
  }

  private static Reloader reloader(Script script, double jitter, boolean pinned) {
    return new Reloader(
        script,
        new Reloader.Settings(
            POLL, jitter, Duration.ofSeconds(1), Duration.ofSeconds(8), 3, pinned),
        new Random(7));
  }

  @Test
  void transientFailuresAreRetriedWithBackoffUntilTheyPass() {
    Script script = new Script();
    script.latest = "v1";
    script.serving = "v0";
    for (int i = 0; i < 6; i++) {
      script.loadOutcomes.add(new StoreException("s3://b/p: read timed out"));
    }
    Reloader reloader = reloader(script, 0, false);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(reloader.step().toSeconds());
      assertThat(script.serving).isEqualTo("v0");
      assertThat(reloader.lastError()).contains("timed out");
    }
    assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 8L, 8L);
    // far more than bad-attempts transient failures: still tried, and it loads once the store is
    // back
    assertThat(reloader.step()).isEqualTo(POLL);
    assertThat(script.serving).isEqualTo("v1");
    assertThat(script.attempts).hasSize(7);
    assertThat(reloader.lastError()).isNull();
  }

  @Test
  void permanentFailuresRejectTheVersionAfterBadAttemptsUntilLatestChanges() {
    Script script = new Script();
    script.latest = "v1";
    script.serving = "v0";
    for (int i = 0; i < 3; i++) {
      script.loadOutcomes.add(new VersionIntegrityException("model.onnx: checksum mismatch"));
    }
    Reloader reloader = reloader(script, 0, false);
    assertThat(reloader.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(reloader.step()).isEqualTo(Duration.ofSeconds(2));
    assertThat(reloader.step()).isEqualTo(POLL); // third: rejected
    reloader.step();
    reloader.step();
    assertThat(script.attempts).containsExactly("v1", "v1", "v1");
    assertThat(script.serving).isEqualTo("v0");
    assertThat(reloader.lastError()).contains("checksum mismatch");
    script.latest = "v2";
    reloader.step();
    assertThat(script.serving).isEqualTo("v2");
  }

  @Test
  void aModelThatDoesNotLoadIsPermanentAndATransientFailureBetweenStartsTheCountAnew() {
    Script script = new Script();
    script.latest = "v1";
    script.serving = "v0";
    script.loadOutcomes.add(new UnusableVersionException("bad graph", null));
    script.loadOutcomes.add(new UnusableVersionException("bad graph", null));
    script.loadOutcomes.add(new StoreException("connection reset"));
    script.loadOutcomes.add(new UnusableVersionException("bad graph", null));
    Reloader reloader = reloader(script, 0, false);
    for (int i = 0; i < 5; i++) {
      reloader.step();
    }
    // 2 permanent, 1 transient (not counted), 1 permanent = 3 permanent: rejected at the 4th
    assertThat(script.attempts).hasSize(4);
    assertThat(script.serving).isEqualTo("v0");
  }

  @Test
  void anErrorInAStepDoesNotStopTheLoader() {
    Script script = new Script();
    script.latest = "v1";
    script.serving = "v0";
    script.wantedFails = new AssertionError("a bug");
    Reloader reloader = reloader(script, 0, false);
    assertThat(reloader.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(reloader.lastError()).isEqualTo("a bug");
    script.loadOutcomes.add(new OutOfMemoryError("Java heap space"));
    assertThat(reloader.step()).isNotNull();
    assertThat(reloader.step()).isEqualTo(POLL);
    assertThat(script.serving).isEqualTo("v1");
  }

  @Test
  void aVersionThatDoesNotFitInMemoryIsNotLoadedAndTheOldOneServes() {
    Script script = new Script();
    script.latest = "v1";
    script.serving = "v0";
    script.refusal = "version v1 needs about 900 MiB of memory";
    Reloader reloader = reloader(script, 0, false);
    assertThat(reloader.step()).isEqualTo(POLL);
    assertThat(reloader.step()).isEqualTo(POLL);
    assertThat(script.attempts).isEmpty();
    assertThat(reloader.lastError()).contains("900 MiB");
    script.refusal = null; // memory freed: loaded at the next poll
    reloader.step();
    assertThat(script.serving).isEqualTo("v1");
  }

  @Test
  void atStartNothingServesAndReadinessSaysWhy() {
    Script script = new Script();
    Reloader reloader = reloader(script, 0, false);
    assertThat(reloader.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(script.notReady).contains("no version is published yet");
    script.latest = "v1";
    script.loadOutcomes.add(new StoreException("endpoint unreachable"));
    reloader.step();
    // readiness names the kind of failure; the store's own message is for the log only
    assertThat(script.notReady)
        .contains("v1 could not be fetched from the store")
        .doesNotContain("endpoint unreachable");
    assertThat(reloader.lastError()).contains("endpoint unreachable");
    assertThat(reloader.publicError()).isEqualTo(script.notReady);
    assertThat(reloader.step()).isEqualTo(POLL);
    assertThat(script.serving).isEqualTo("v1");
  }

  @Test
  void aPinnedVersionIsNeverRejectedAndNotPolledOnceServing() {
    Script script = new Script();
    script.latest = "v1";
    for (int i = 0; i < 5; i++) {
      script.loadOutcomes.add(new VersionIntegrityException("checksum mismatch"));
    }
    Reloader reloader = reloader(script, 0, true);
    for (int i = 0; i < 5; i++) {
      assertThat(reloader.step()).isNotNull();
    }
    assertThat(reloader.step()).isNull();
    assertThat(script.serving).isEqualTo("v1");
  }

  @Test
  void pollsAreJitteredWithinTheConfiguredShare() {
    Script script = new Script();
    script.latest = "v0";
    script.serving = "v0";
    Reloader reloader = reloader(script, 0.2, false);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      delays.add(reloader.step());
    }
    assertThat(delays)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36)));
    assertThat(delays.stream().distinct().count()).isGreaterThan(40);
  }
}
