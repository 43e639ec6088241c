package org.minibert.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OneCycleScheduleTest {
  private final OneCycleSchedule schedule = new OneCycleSchedule(1e-3, 1001);

  @Test
  void startsAtOneTwentyFifthPeaksAtThirtyPercentAndEndsFarBelow() {
    assertThat(schedule.learningRate(0)).isCloseTo(4e-5, within(1e-12));
    assertThat(schedule.learningRate(299)).isCloseTo(1e-3, within(1e-8)); // 0.3 * 1001 - 1 = 299.3
    assertThat(schedule.learningRate(1000)).isCloseTo(4e-9, within(1e-15));
    assertThat(schedule.learningRate(5000)).isCloseTo(4e-9, within(1e-15));
  }

  @Test
  void risesThenFallsMonotonically() {
    double previous = 0;
    for (int step = 0; step <= 299; step++) {
      assertThat(schedule.learningRate(step)).isGreaterThanOrEqualTo(previous);
      previous = schedule.learningRate(step);
    }
    for (int step = 300; step <= 1000; step++) {
      assertThat(schedule.learningRate(step)).isLessThanOrEqualTo(previous);
      previous = schedule.learningRate(step);
    }
  }

  @Test
  void halfwayThroughTheDecayIsHalfwayBetweenPeakAndEnd() {
    double midStep = 299.3 + (1000 - 299.3) / 2;
    assertThat(schedule.learningRate(Math.round(midStep)))
        .isCloseTo((1e-3 + 4e-9) / 2, within(2e-6));
  }

  @Test
  void rejectsNonPositiveRatesAndStepCounts() {
    assertThatThrownBy(() -> new OneCycleSchedule(0, 10)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new OneCycleSchedule(-1e-3, 10)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new OneCycleSchedule(Double.NaN, 10)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new OneCycleSchedule(1e-3, 0)).hasMessageContaining("at least 1");
  }
}
