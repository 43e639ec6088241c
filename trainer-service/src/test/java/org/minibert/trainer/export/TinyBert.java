package org.minibert.trainer.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/** Tiny models for the export tests: 2 layers x 32 wide, 2 heads, vocabulary 150, 16 positions. */
final class TinyBert {
  static final BertConfig CONFIG =
      new BertConfig("tiny", 150, 32, 2, 2, 64, 16, 2, 0.1, 0.1, 1e-12, 0.02);

  private TinyBert() {}

  /** A randomly initialised tiny model whose parameters live in {@code manager}. */
  static BertForPreTraining random(NDManager manager, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    BertForPreTraining bert = new BertForPreTraining(CONFIG);
    bert.initialize(manager);
    return bert;
  }

  /**
   * The model with every float initializer re-encoded big-endian: the mistake a plain {@code
   * ByteBuffer} makes. It still loads and runs, which is why parity, not loading, is the test.
   */
  static ModelProto bigEndian(ModelProto model) {
    ModelProto.Builder broken = model.toBuilder();
    for (TensorProto.Builder t : broken.getGraphBuilder().getInitializerBuilderList()) {
      if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber()) {
        ByteBuffer little = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer big = ByteBuffer.allocate(little.remaining()).order(ByteOrder.BIG_ENDIAN);
        while (little.hasRemaining()) {
          big.putFloat(little.getFloat());
        }
        t.setRawData(ByteString.copyFrom(big.array()));
      }
    }
    return broken.build();
  }
}
