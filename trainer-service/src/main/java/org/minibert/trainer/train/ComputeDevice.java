package org.minibert.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device to train on and sets PyTorch's thread counts. Threads must be set before the
 * engine starts, so call {@link #configureThreads} before anything touches DJL.
 */
public final class ComputeDevice {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeDevice.class);

  /** What the user asked for. */
  public enum Choice {
    AUTO,
    CPU,
    GPU
  }

  private ComputeDevice() {}

  /**
   * @param intraOpThreads threads inside one operation (0 = PyTorch's default: all cores); on a
   *     small CPU one thread was as fast as two under load and much steadier
   */
  public static void configureThreads(int intraOpThreads) {
    if (intraOpThreads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
    }
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  public static Device select(Choice choice) {
    int gpus = Engine.getInstance().getGpuCount();
    Device device;
    switch (choice) {
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException(
              "--device gpu: PyTorch sees no CUDA GPU (is the CUDA build of PyTorch installed? see"
                  + " docs/train.md, Devices and threads)");
        }
        device = Device.gpu();
      }
      case CPU -> device = Device.cpu();
      default -> device = gpus > 0 ? Device.gpu() : Device.cpu();
    }
    LOG.info(
        "training on {} ({} GPU(s) visible; PyTorch {}; intra-op threads {}, inter-op threads {})",
        device.isGpu() ? "GPU " + device.getDeviceId() : "CPU",
        gpus,
        Engine.getInstance().getVersion(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    return device;
  }
}
