package org.minibert.inference.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.jboss.logging.Logger;
import org.minibert.inference.config.MiniBertConfig.Device;

/**
 * The ONNX Runtime execution provider a session runs on, chosen once at start-up from {@code
 * minibert.device}.
 *
 * <ul>
 *   <li>{@code cpu}: never tries CUDA.
 *   <li>{@code auto}: CUDA when an NVIDIA driver is present and the ONNX Runtime jar has the CUDA
 *       provider (the default {@code onnxruntime_gpu} jar), otherwise CPU without trying; the check
 *       matters because a failed {@code addCUDA(0)} with the GPU jar first spends ~10 s extracting
 *       a 583 MB library.
 *   <li>{@code cuda}: CUDA or a start-up failure whose message says why.
 * </ul>
 */
public enum ExecutionProvider {
  CUDA,
  CPU;

  private static final Logger LOG = Logger.getLogger(ExecutionProvider.class);

  /** Where an installed NVIDIA kernel driver shows itself. */
  static final Path[] DRIVER_MARKERS = {
    Path.of("/proc/driver/nvidia/version"), Path.of("/dev/nvidiactl")
  };

  /**
   * The provider for a device setting; probes CUDA (loads its library once) where it is to be used.
   */
  public static ExecutionProvider resolve(Device device) {
    return resolve(device, nvidiaDriverPresent(), cudaProviderInJar());
  }

  static ExecutionProvider resolve(Device device, boolean driverPresent, boolean cudaInJar) {
    switch (device) {
      case CPU:
        return CPU;
      case AUTO:
        if (!driverPresent || !cudaInJar) {
          LOG.infof(
              "minibert.device=auto: %s, using the CPU execution provider",
              !driverPresent
                  ? "no NVIDIA driver found"
                  : "this ONNX Runtime jar has no CUDA provider (a CPU build; -Pgpu builds the CUDA"
                      + " one)");
          return CPU;
        }
        try {
          probeCuda();
          return CUDA;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          LOG.warnf(
              "minibert.device=auto: an NVIDIA driver is present but CUDA cannot be used (%s);"
                  + " using the CPU execution provider",
              e.getMessage());
          return CPU;
        }
      case CUDA:
      default:
        if (!cudaInJar) {
          throw new IllegalStateException(
              "minibert.device=cuda, but this build has the CPU-only ONNX Runtime jar"
                  + " (the CPU build); build with -Pgpu or set minibert.device=auto or cpu");
        }
        if (!driverPresent) {
          throw new IllegalStateException(
              "minibert.device=cuda, but no NVIDIA driver is present (no "
                  + DRIVER_MARKERS[0]
                  + "); run on a GPU node or set minibert.device=auto or cpu");
        }
        try {
          probeCuda();
          return CUDA;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          throw new IllegalStateException(
              "minibert.device=cuda, but ONNX Runtime cannot use CUDA: "
                  + e.getMessage()
                  + " (check the CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH, or set"
                  + " minibert.device=auto or cpu)",
              e);
        }
    }
  }

  public static boolean nvidiaDriverPresent() {
    for (Path marker : DRIVER_MARKERS) {
      if (Files.exists(marker)) {
        return true;
      }
    }
    return false;
  }

  /** True with the {@code onnxruntime_gpu} jar, false with the CPU-only one. */
  public static boolean cudaProviderInJar() {
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    return providers.contains(OrtProvider.CUDA);
  }

  private static void probeCuda() throws OrtException {
    OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(0);
    }
  }

  /** Adds this provider to session options (CPU is always there as ONNX Runtime's fallback). */
  void configure(OrtSession.SessionOptions options) throws OrtException {
    if (this == CUDA) {
      options.addCUDA(0);
    }
  }

  /** How {@code GET /model} names it. */
  public String label() {
    return this == CUDA ? "CUDAExecutionProvider" : "CPUExecutionProvider";
  }
}
