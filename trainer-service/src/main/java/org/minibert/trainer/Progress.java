package org.minibert.trainer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars for long work, on stderr so that stdout stays for results. */
public final class Progress {
  private Progress() {}

  /**
   * A bar with rate and ETA for {@code total} units of work, or a plain counter when the total is unknown
   * ({@code total < 0}). Close it when the work is done.
   */
  public static ProgressBar bar(String task, long total, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setUnit(" " + unit, 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .showSpeed()
        .setMaxRenderedLength(120)
        .continuousUpdate()
        .build();
  }
}
