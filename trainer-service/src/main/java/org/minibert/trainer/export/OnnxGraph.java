package org.minibert.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small, append-only writer of an ONNX {@link GraphProto}: every {@code op} call adds one node
 * whose single output is named after the node, so a graph reads like the code that built it ({@code
 * bert.encoder.layer.0.attention.self.query/MatMul} is both the node and the tensor it produces).
 *
 * <p>Tensors are stored as {@code raw_data}, which ONNX defines as <em>little-endian</em> whatever
 * the machine: Java's {@link ByteBuffer} is big-endian by default, and a model written that way
 * loads fine and computes garbage, so every buffer here is ordered explicitly.
 */
final class OnnxGraph {

  /** Attribute of a node; build with {@link #attr(String, long)} and friends. */
  record Attribute(AttributeProto proto) {}

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();

  OnnxGraph(String name, String docString) {
    graph.setName(name).setDocString(docString);
  }

  /**
   * Declares a graph input of the given element type; a {@code String} dimension is symbolic
   * (dynamic).
   */
  String input(String name, TensorProto.DataType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return claim(name);
  }

  /** Declares {@code value} (an already computed tensor) as a graph output. */
  void output(String value, TensorProto.DataType type, Object... dims) {
    graph.addOutput(valueInfo(value, type, dims));
  }

  /** A float32 weight, stored as little-endian raw data. */
  String weight(String name, float[] values, long... dims) {
    requireSize(name, values.length, dims);
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return tensor(name, TensorProto.DataType.FLOAT, bytes, dims);
  }

  /** A float32 scalar constant (rank 0), e.g. a scale factor. */
  String scalar(String name, float value) {
    return weight(name, new float[] {value});
  }

  /** A rank-1 int64 constant: a shape, a permutation, axes. */
  String int64s(String name, long... values) {
    return int64Tensor(name, values, values.length);
  }

  /** A rank-0 int64 constant: an index that removes the axis it picks (Gather). */
  String int64Scalar(String name, long value) {
    return int64Tensor(name, new long[] {value});
  }

  /**
   * Adds a node {@code name} running {@code opType} on {@code inputs}; returns its output, also
   * called {@code name}.
   */
  String op(String opType, String name, List<String> inputs, Attribute... attributes) {
    return opWithOutput(opType, name, name, inputs, attributes);
  }

  /**
   * Like {@link #op} but with an explicit output name (for the graph outputs {@code logits}, {@code
   * nsp_logits}).
   */
  String opWithOutput(
      String opType, String name, String output, List<String> inputs, Attribute... attributes) {
    return opInDomain("", opType, name, output, inputs, attributes);
  }

  /**
   * Like {@link #opWithOutput} for an operator of another domain than standard ONNX's (ONNX
   * Runtime's {@code com.microsoft}); the model must import that domain's opset.
   */
  String opInDomain(
      String domain,
      String opType,
      String name,
      String output,
      List<String> inputs,
      Attribute... attributes) {
    NodeProto.Builder node =
        NodeProto.newBuilder()
            .setDomain(domain)
            .setOpType(opType)
            .setName(name)
            .addAllInput(inputs)
            .addOutput(output);
    for (Attribute a : attributes) {
      node.addAttribute(a.proto());
    }
    graph.addNode(node);
    return claim(output);
  }

  static Attribute attr(String name, long value) {
    return new Attribute(
        AttributeProto.newBuilder()
            .setName(name)
            .setType(AttributeProto.AttributeType.INT)
            .setI(value)
            .build());
  }

  static Attribute attr(String name, float value) {
    return new Attribute(
        AttributeProto.newBuilder()
            .setName(name)
            .setType(AttributeProto.AttributeType.FLOAT)
            .setF(value)
            .build());
  }

  static Attribute attr(String name, long... values) {
    return new Attribute(
        AttributeProto.newBuilder()
            .setName(name)
            .setType(AttributeProto.AttributeType.INTS)
            .addAllInts(Arrays.stream(values).boxed().toList())
            .build());
  }

  GraphProto build() {
    return graph.build();
  }

  private String int64Tensor(String name, long[] values, long... dims) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    return tensor(name, TensorProto.DataType.INT64, bytes, dims);
  }

  private String tensor(
      String name, TensorProto.DataType type, ByteBuffer littleEndian, long... dims) {
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(type.getNumber())
            .addAllDims(Arrays.stream(dims).boxed().toList())
            .setRawData(ByteString.copyFrom(littleEndian.array())));
    return claim(name);
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
      if (dim instanceof String symbol) {
        d.setDimParam(symbol);
      } else {
        d.setDimValue(((Number) dim).longValue());
      }
      shape.addDim(d);
    }
    TypeProto.Tensor tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  /**
   * Every tensor name is assigned once (ONNX graphs are in SSA form); a clash is a bug in the
   * builder.
   */
  private String claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("tensor name used twice: " + name);
    }
    return name;
  }

  private static void requireSize(String name, int size, long... dims) {
    long expected = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    if (expected != size) {
      throw new IllegalArgumentException(
          name
              + " has "
              + size
              + " values, its shape "
              + Arrays.toString(dims)
              + " needs "
              + expected);
    }
  }
}
