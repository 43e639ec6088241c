package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the BERT blocks: a DJL {@link AbstractBlock} whose children and parameters have readable,
 * stable names.
 *
 * <p>DJL itself names a child {@code "01query"} (a running number glued to the name) and joins
 * levels with {@code _}; the names here are dotted paths that the ONNX exporter and checkpoints can
 * rely on, see {@link #collectParameters(String, Map)}. They are exactly the names of Hugging Face
 * transformers' {@code BertForPreTraining} ({@code
 * bert.encoder.layer.0.attention.self.query.weight}): a child's name is its path below its parent,
 * and may have several levels ({@code "output.LayerNorm"}) where Hugging Face has a module that
 * only groups others or whose work is folded into the parent block here.
 *
 * <p>Every parameter shape follows from the {@link BertConfig}, so a block does not infer shapes
 * from its input the way DJL blocks usually do: each child is registered with the input shape it is
 * initialised with, and {@link #initializeChildBlocks} hands exactly that shape down.
 */
abstract class BertModule extends AbstractBlock {

  private final Map<String, Block> namedChildren = new LinkedHashMap<>();
  private final Map<String, Shape> childInputShapes = new LinkedHashMap<>();

  /**
   * Registers a child block under {@code name}; {@code inputShape} is only used to initialise it.
   */
  protected final <B extends Block> B child(String name, B block, Shape inputShape) {
    namedChildren.put(name, block);
    childInputShapes.put(name, inputShape);
    return addChildBlock(name, block);
  }

  /** Registers a parameter owned directly by this block (not by a child). */
  protected final Parameter parameter(String name, Parameter.Type type, Shape shape) {
    return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
  }

  /**
   * A DJL {@link Linear} (y = x W^T + b, W stored [out, in]) registered as a child; {@code in}
   * fixes its shape.
   */
  protected final Linear dense(String name, long in, long out) {
    return child(name, Linear.builder().setUnits(out).build(), new Shape(1, in));
  }

  /**
   * A {@link BertLayerNorm} over the last axis ({@code weight} and {@code bias} [width]),
   * registered as a child.
   */
  protected final BertLayerNorm layerNorm(String name, long width, double eps) {
    return child(name, new BertLayerNorm(width, eps), new Shape(1, width));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    namedChildren.forEach(
        (name, block) -> block.initialize(manager, dataType, childInputShapes.get(name)));
  }

  /**
   * Adds this block's parameters to {@code out} in a fixed order (own parameters, then the children
   * in the order they were registered), each under {@code prefix + dotted path}.
   */
  void collectParameters(String prefix, Map<String, Parameter> out) {
    getDirectParameters().forEach(pair -> out.put(prefix + pair.getKey(), pair.getValue()));
    namedChildren.forEach(
        (name, block) -> {
          if (block instanceof BertModule module) {
            module.collectParameters(prefix + name + ".", out);
          } else {
            block
                .getParameters()
                .forEach(pair -> out.put(prefix + name + "." + pair.getKey(), pair.getValue()));
          }
        });
  }

  /** Runs a single-input, single-output child block. */
  static NDArray apply(Block block, ParameterStore ps, NDArray input, boolean training) {
    return block.forward(ps, new NDList(input), training).singletonOrThrow();
  }
}
