package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.minibert.trainer.TrainerCli;
import picocli.CommandLine;

/** Runs the command line in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TrainerCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The error output, which a failure must keep to one line. */
  String errorLine() {
    return err.strip();
  }
}
