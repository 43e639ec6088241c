package org.minibert.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.minibert.inference.config.MiniBertConfig.Device;

class FillMaskUnitTest {

  @Test
  void fillSplicesTheDisplayedTokenAtTheMaskSpan() {
    String text = "수도는 [MASK]이다.";
    int start = text.indexOf("[MASK]");
    assertThat(FillMask.fill(text, start, start + 6, "서울")).isEqualTo("수도는 서울이다.");
    // a continuation piece joins the text before it without the space
    assertThat(FillMask.fill(text, start, start + 6, "##서울")).isEqualTo("수도는서울이다.");
    // decomposed jamo tokens come out composed
    String jamo = Normalizer.normalize("서울", Normalizer.Form.NFD);
    assertThat(FillMask.fill(text, start, start + 6, jamo)).isEqualTo("수도는 서울이다.");
    // a lone final consonant (##ᆫ) merges into the syllable before it under NFC
    String t2 = "그 [MASK] 사람";
    int s2 = t2.indexOf("[MASK]");
    assertThat(FillMask.fill("나 [MASK]", 2, 8, "##\u11ab")).isEqualTo("난");
    assertThat(FillMask.fill(t2, s2, s2 + 6, "[UNK]")).isEqualTo("그 [UNK] 사람");
  }

  @Test
  void countsMasks() {
    assertThat(FillMask.countMasks("no mask")).isZero();
    assertThat(FillMask.countMasks("[MASK][MASK] a [MASK]")).isEqualTo(3);
  }

  @Test
  void maskPositions() {
    assertThat(FillMask.maskPositions(new int[] {2, 10, 4, 11, 4, 3})).containsExactly(2, 4);
  }

  @Test
  void executionProviderChoice() {
    assertThat(ExecutionProvider.resolve(Device.CPU, true, true)).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.resolve(Device.AUTO, false, true)).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.resolve(Device.AUTO, true, false)).isEqualTo(ExecutionProvider.CPU);
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA, false, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minibert.device=cuda, but no NVIDIA driver is present");
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA, true, false))
        .hasMessageContaining("CPU-only ONNX Runtime jar");
  }

  @Test
  void cudaOnThisMachineFailsClearlyWithoutADriver() {
    org.junit.jupiter.api.Assumptions.assumeFalse(ExecutionProvider.nvidiaDriverPresent(), "a GPU machine");
    long start = System.nanoTime();
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA)).hasMessageContaining("minibert.device=cuda");
    assertThat(ExecutionProvider.resolve(Device.AUTO)).isEqualTo(ExecutionProvider.CPU);
    // auto never tries CUDA without a driver (a failed try costs ~10 s with the GPU jar)
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(3);
  }
}
