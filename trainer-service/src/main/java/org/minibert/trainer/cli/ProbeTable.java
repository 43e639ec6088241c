package org.minibert.trainer.cli;

import java.io.PrintWriter;
import org.minibert.trainer.evaluate.ClozeProbes;

/**
 * The cloze-probe results as the commands print them: one summary line per part, then one line per
 * probe.
 */
public final class ProbeTable {
  private ProbeTable() {}

  /**
   * @param section print only this part of the probe file (its heading starts with it, e.g. "Part
   *     1"); null for all
   */
  public static void print(ClozeProbes.Report report, String section, PrintWriter out) {
    for (ClozeProbes.Section s : report.sections()) {
      if (section == null || s.name().startsWith(section)) {
        out.printf(
            "  %s: top-1 %d, top-5 %d of %d%n",
            s.name().isEmpty() ? "probes" : s.name(), s.top1Hits(), s.top5Hits(), s.probes());
      }
    }
    for (ClozeProbes.Outcome o : report.outcomes()) {
      if (section == null || o.section().startsWith(section)) {
        out.printf(
            "    %s %-28s -> %-6s top-5: %s%n",
            o.top1Hit() ? "[1]" : o.top5Hit() ? "[5]" : "[ ]",
            o.sentence(),
            o.answer(),
            String.join(", ", o.top5()));
      }
    }
  }
}
