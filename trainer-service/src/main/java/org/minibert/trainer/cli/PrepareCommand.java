package org.minibert.trainer.cli;

import picocli.CommandLine.Command;

@Command(name = "prepare", mixinStandardHelpOptions = true, description = "Corpus -> WordPiece tokenizer -> memory-mapped pre-training data.")
public final class PrepareCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("prepare is not implemented yet");
  }
}
