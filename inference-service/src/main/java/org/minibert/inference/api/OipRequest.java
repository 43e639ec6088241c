package org.minibert.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The body of an Open Inference Protocol inference request, checked: {@code id}, {@code
 * parameters}, {@code inputs} (only {@code BYTES} tensors of UTF-8 text, JSON data, flat or nested)
 * and the names of the {@code outputs} asked for.
 *
 * @param parameters the request's {@code parameters} object, or an empty object
 * @param outputs the output names asked for; empty means all
 */
record OipRequest(String id, JsonNode parameters, List<Input> inputs, List<String> outputs) {
  private static final Logger LOG = Logger.getLogger(OipRequest.class);

  static final String BYTES = "BYTES";

  /** One input tensor of texts; {@code shape} multiplies out to {@code texts.size()}. */
  record Input(String name, List<Long> shape, List<String> texts) {}

  static OipRequest parse(JsonNode root, int maxTexts) {
    if (!root.isObject()) {
      throw new ApiException(
          400,
          "the body must be a JSON object like {\"inputs\": [{\"name\": \"text\", \"datatype\":"
              + " \"BYTES\", \"shape\": [1], \"data\": [\"... [MASK] ...\"]}]}, got "
              + Requests.kind(root));
    }
    JsonNode id = root.get("id");
    if (id != null && !id.isNull() && !id.isTextual()) {
      throw new ApiException(400, "id must be a string, got " + Requests.kind(id));
    }
    JsonNode parameters = root.get("parameters");
    if (parameters == null || parameters.isNull()) {
      parameters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (!parameters.isObject()) {
      throw new ApiException(400, "parameters must be an object, got " + Requests.kind(parameters));
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new ApiException(
          400,
          "inputs must be a non-empty list of tensors, got "
              + (inputs == null ? "nothing" : Requests.kind(inputs)));
    }
    List<Input> parsed = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      parsed.add(input(inputs.get(i), "inputs[" + i + "]", maxTexts));
    }
    List<String> outputs = new ArrayList<>();
    JsonNode requested = root.get("outputs");
    if (requested != null && !requested.isNull()) {
      if (!requested.isArray()) {
        throw new ApiException(400, "outputs must be a list, got " + Requests.kind(requested));
      }
      for (int i = 0; i < requested.size(); i++) {
        JsonNode output = requested.get(i);
        if (!output.isObject()) {
          throw new ApiException(
              400, "outputs[" + i + "] must be an object, got " + Requests.kind(output));
        }
        outputs.add(Requests.string(output, "name", "outputs[" + i + "]."));
      }
    }
    return new OipRequest(
        id == null || id.isNull() ? null : id.asText(), parameters, parsed, outputs);
  }

  /** The input named {@code name}, or null. */
  Input input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
  }

  private static Input input(JsonNode tensor, String where, int maxTexts) {
    if (!tensor.isObject()) {
      throw new ApiException(400, where + " must be a tensor object, got " + Requests.kind(tensor));
    }
    String name = Requests.string(tensor, "name", where + ".");
    String datatype = Requests.string(tensor, "datatype", where + ".");
    where = where + " (" + name + ")";
    if (!datatype.equals(BYTES)) {
      throw new ApiException(
          400, where + " has datatype " + datatype + "; this model takes BYTES (UTF-8 text)");
    }
    JsonNode shapeNode = tensor.get("shape");
    if (shapeNode == null || !shapeNode.isArray() || shapeNode.isEmpty()) {
      throw new ApiException(400, where + ".shape must be a non-empty list of sizes");
    }
    List<Long> shape = new ArrayList<>();
    long elements = 1;
    for (JsonNode size : shapeNode) {
      if (!size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
        throw new ApiException(
            400, where + ".shape must hold sizes (whole numbers >= 0), got " + shapeNode);
      }
      shape.add(size.longValue());
      try {
        elements = Math.multiplyExact(elements, size.longValue());
      } catch (ArithmeticException overflow) {
        String detail = where + ".shape " + shapeNode + " has more elements than a tensor can hold";
        // one line, no stack trace: a client's mistake, not the service's
        LOG.infof("refused an infer request: %s", detail);
        throw new ApiException(400, detail);
      }
    }
    JsonNode data = tensor.get("data");
    if (data == null || !data.isArray()) {
      throw new ApiException(
          400,
          where
              + ".data must be a list of strings (the binary data extension is not supported), got "
              + (data == null ? "nothing" : Requests.kind(data)));
    }
    List<String> texts = new ArrayList<>();
    flatten(data, texts, where + ".data");
    if (texts.size() != elements) {
      throw new ApiException(
          400,
          where
              + ".shape "
              + shape
              + " holds "
              + elements
              + " elements but data has "
              + texts.size());
    }
    if (texts.isEmpty()) {
      throw new ApiException(400, where + " holds no text");
    }
    if (texts.size() > maxTexts) {
      throw new ApiException(
          400, where + " holds " + texts.size() + " texts; at most " + maxTexts + " are accepted");
    }
    return new Input(name, List.copyOf(shape), List.copyOf(texts));
  }

  private static void flatten(JsonNode data, List<String> out, String where) {
    for (JsonNode element : data) {
      if (element.isArray()) {
        flatten(element, out, where);
      } else if (element.isTextual()) {
        out.add(Requests.checkText(element.asText(), where));
      } else {
        throw new ApiException(
            400, where + " must hold strings (BYTES as UTF-8 text), got " + Requests.kind(element));
      }
    }
  }
}
