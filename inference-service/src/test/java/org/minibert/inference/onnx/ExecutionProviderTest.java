package org.minibert.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.minibert.inference.config.MiniBertConfig.Device;

class ExecutionProviderTest {

  @Test
  void executionProviderChoice() {
    assertThat(ExecutionProvider.resolve(Device.CPU, true, true)).isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.resolve(Device.AUTO, false, true))
        .isEqualTo(ExecutionProvider.CPU);
    assertThat(ExecutionProvider.resolve(Device.AUTO, true, false))
        .isEqualTo(ExecutionProvider.CPU);
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA, false, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minibert.device=cuda, but no NVIDIA driver is present");
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA, true, false))
        .hasMessageContaining("CPU-only ONNX Runtime jar");
  }

  @Test
  void cudaOnThisMachineFailsClearlyWithoutADriver() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ExecutionProvider.nvidiaDriverPresent(), "a GPU machine");
    long start = System.nanoTime();
    assertThatThrownBy(() -> ExecutionProvider.resolve(Device.CUDA))
        .hasMessageContaining("minibert.device=cuda");
    assertThat(ExecutionProvider.resolve(Device.AUTO)).isEqualTo(ExecutionProvider.CPU);
    // auto never tries CUDA without a driver (a failed try costs ~10 s with the GPU jar)
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(3);
  }
}
