/**
 * ONNX Runtime: the execution provider, the session over a version's graph and the buffers one
 * batch runs with. Start reading at {@link org.minibert.inference.onnx.OnnxSession}.
 */
package org.minibert.inference.onnx;
