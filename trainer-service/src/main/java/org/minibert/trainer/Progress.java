package org.minibert.trainer;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars for long work, on stderr so that stdout stays for results. */
public final class Progress {
  private Progress() {}

  /**
   * A bar with rate and ETA for {@code total} units of work, or a plain counter when the total is
   * unknown ({@code total < 0}). Close it when the work is done.
   */
  public static ProgressBar bar(String task, long total, String unit) {
    return bar(task, total, unit, 1);
  }

  /**
   * A bar over {@code totalBytes} bytes of input, shown in MB with rate and ETA; step it to the
   * bytes read so far.
   */
  public static ProgressBar bytes(String task, long totalBytes) {
    return bar(task, totalBytes, "MB", 1_000_000);
  }

  private static ProgressBar bar(String task, long total, String unit, long unitSize) {
    ProgressBarBuilder builder = new ProgressBarBuilder();
    if (System.console() == null) {
      // not a terminal (a log file, CI, Kubernetes): a plain line every 10 s instead of a redrawn
      // bar
      builder
          .setConsumer(new DelegatingProgressBarConsumer(System.err::println))
          .setUpdateIntervalMillis(10_000);
    } else {
      builder.setUpdateIntervalMillis(500);
    }
    return builder
        .setTaskName(task)
        .setInitialMax(total)
        .setUnit(" " + unit, unitSize)
        .setStyle(ProgressBarStyle.ASCII)
        .showSpeed()
        .setMaxRenderedLength(120)
        .continuousUpdate()
        .build();
  }
}
