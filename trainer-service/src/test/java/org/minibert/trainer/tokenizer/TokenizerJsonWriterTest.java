package org.minibert.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.SpecialTokens;

class TokenizerJsonWriterTest {

  private static Vocabulary vocabularyWith(String... tokens) {
    List<String> all = new ArrayList<>(SpecialTokens.ALL);
    all.addAll(List.of(tokens));
    return new Vocabulary(all);
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    TokenizerJsonWriter.writeTokenizerJson(vocabularyWith("a", "b"), file);
    TokenizerJsonWriter.writeTokenizerJson(vocabularyWith("한"), file);

    assertThat(Files.readString(file)).contains("\"한\" : 5").doesNotContain("\"b\"");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void writtenFilesAreAsReadableAsAnyNewFile(@TempDir Path dir) throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path reference = Files.createFile(dir.resolve("reference"));
    Path config = dir.resolve("tokenizer_config.json");
    TokenizerJsonWriter.writeTokenizerConfig(128, config);
    assertThat(Files.getPosixFilePermissions(config))
        .isEqualTo(Files.getPosixFilePermissions(reference));
  }
}
