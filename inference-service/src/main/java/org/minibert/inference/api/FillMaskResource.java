package org.minibert.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.service.FillMaskResult;
import org.minibert.inference.service.InferenceService;
import org.minibert.inference.service.MaskPrediction;

/**
 * {@code /fill-mask}: the masked-language-model head, as a plain GET and in the Hugging Face
 * Inference API shape.
 *
 * <p>Both run after admission ({@link HttpGuard}) and off the event loop ({@link Blocking}): the
 * event loops, which the health probes share, never parse, check or tokenize a text. The GET
 * carries one text with at most five masks, ranked on the batcher's thread; the POST, whose body
 * may hold many texts, ranks on a worker again ({@code workers}), so a large request never stalls
 * the connections of others.
 */
@Path("/fill-mask")
@Tag(name = "fill-mask")
public class FillMaskResource {
  static final int DEFAULT_TOP_K = 5;
  static final String VERSION_HEADER = "X-Model-Version";

  @Inject InferenceService service;
  @Inject MiniBertConfig config;
  @Inject ManagedExecutor workers;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Fill the [MASK]s of a text",
      description =
          "One to five [MASK]s; for each, the top_k most likely tokens with their softmax"
              + " probability and the text with the mask filled.")
  @Parameter(
      name = "text",
      in = ParameterIn.QUERY,
      required = true,
      description = "text with one to five [MASK]",
      schema = @Schema(type = SchemaType.STRING),
      example = "대한민국의 수도는 [MASK]이다.")
  @Parameter(
      name = "top_k",
      in = ParameterIn.QUERY,
      description = "candidates per mask, 1..50",
      schema = @Schema(type = SchemaType.INTEGER, defaultValue = "5"),
      example = "5")
  @APIResponse(
      responseCode = "200",
      description = "candidates per mask",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Dtos.FillMaskResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "bad input (detail says what)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "no model loaded yet, or the queue is full (see Retry-After)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @Blocking
  public CompletionStage<Response> get(@Context HttpServerRequest request) {
    Map<String, String> query = Requests.query(request.query());
    String text = query.get("text");
    if (text == null || text.isBlank()) {
      throw new ApiException(
          400, "query parameter text is missing or empty: /fill-mask?text=...[MASK]...");
    }
    int topK = Requests.topK(query.get("top_k"), DEFAULT_TOP_K);
    RequestBudget.checkFillMask(List.of(text), topK, null, config.limits());
    return service
        .fillMask(List.of(text), topK, null, Runnable::run)
        .handle(
            (results, error) -> {
              if (error != null) {
                return Problems.response(error);
              }
              FillMaskResult result = results.get(0);
              return Response.ok(
                      new Dtos.FillMaskResponse(
                          config.model(),
                          result.version(),
                          result.text(),
                          result.masks().stream().map(FillMaskResource::mask).toList()))
                  .header(VERSION_HEADER, result.version())
                  .build();
            });
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Fill-mask in the Hugging Face Inference API shape",
      description =
          "Body {\"inputs\": text or [texts], \"parameters\": {\"top_k\": 5, \"targets\": [...]}}."
              + " Answers a list of {score, token, token_str, sequence}; a list of such lists when"
              + " a text has several masks or several texts are sent (one per mask, per text). The"
              + " model version is in the X-Model-Version header.")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = {
                @ExampleObject(name = "one text", value = "{\"inputs\": \"대한민국의 수도는 [MASK]이다.\"}"),
                @ExampleObject(
                    name = "several texts, top 3",
                    value =
                        "{\"inputs\": [\"나는 [MASK]에 간다.\", \"[MASK]은 맛있다.\"], \"parameters\":"
                            + " {\"top_k\": 3}}"),
                @ExampleObject(
                    name = "targets",
                    value =
                        "{\"inputs\": \"나는 [MASK]에 간다.\", \"parameters\": {\"targets\": [\"학교\","
                            + " \"집\"]}}")
              }))
  @APIResponse(
      responseCode = "200",
      description = "candidates (Hugging Face shape)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.ARRAY, implementation = Dtos.HfCandidate.class)))
  @APIResponse(
      responseCode = "400",
      description = "bad input (detail says what)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "413",
      description = "body too large",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "no model loaded yet, or the queue is full (see Retry-After)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @Blocking
  public CompletionStage<Response> post(byte[] body) {
    JsonNode root = Requests.json(body, config.limits().maxBodyBytes());
    if (!root.isObject()) {
      throw new ApiException(
          400,
          "the body must be a JSON object like {\"inputs\": \"... [MASK] ...\"}, got "
              + Requests.kind(root));
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || inputs.isNull()) {
      throw new ApiException(400, "inputs is missing: send {\"inputs\": \"... [MASK] ...\"}");
    }
    boolean several = inputs.isArray();
    List<String> texts = Requests.strings(inputs, "inputs", config.limits().maxInputs());
    int topK = DEFAULT_TOP_K;
    List<String> targets = null;
    JsonNode parameters = root.get("parameters");
    if (parameters != null && !parameters.isNull()) {
      if (!parameters.isObject()) {
        throw new ApiException(
            400, "parameters must be an object, got " + Requests.kind(parameters));
      }
      JsonNode k = parameters.get("top_k");
      if (k != null && !k.isNull()) {
        if (!k.isIntegralNumber() || !k.canConvertToInt()) {
          throw new ApiException(
              400,
              "parameters.top_k must be a whole number, got "
                  + Requests.kind(k)
                  + (k.isNumber() ? " " + k.asText() : ""));
        }
        topK = k.intValue();
      }
      JsonNode t = parameters.get("targets");
      if (t != null && !t.isNull()) {
        targets = Requests.strings(t, "parameters.targets", 100);
      }
    }
    RequestBudget.checkFillMask(texts, topK, targets, config.limits());
    return service
        .fillMask(texts, topK, targets, workers)
        .handle(
            (results, error) -> {
              if (error != null) {
                return Problems.response(error);
              }
              List<Object> perText = new ArrayList<>(results.size());
              for (FillMaskResult result : results) {
                List<List<Dtos.HfCandidate>> perMask =
                    result.masks().stream().map(FillMaskResource::huggingFace).toList();
                perText.add(perMask.size() == 1 ? perMask.get(0) : perMask);
              }
              Object answer = several ? perText : perText.get(0);
              return Response.ok(answer).header(VERSION_HEADER, results.get(0).version()).build();
            });
  }

  private static Dtos.Mask mask(MaskPrediction mask) {
    return new Dtos.Mask(
        mask.position(),
        mask.start(),
        mask.end(),
        mask.candidates().stream()
            .map(c -> new Dtos.Candidate(c.tokenId(), c.token(), c.score(), c.sequence()))
            .toList());
  }

  private static List<Dtos.HfCandidate> huggingFace(MaskPrediction mask) {
    return mask.candidates().stream()
        .map(c -> new Dtos.HfCandidate(c.score(), c.tokenId(), c.token(), c.sequence()))
        .toList();
  }
}
