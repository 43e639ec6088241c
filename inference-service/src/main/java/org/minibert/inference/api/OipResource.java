package org.minibert.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.minibert.core.io.Json;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.service.InferenceService;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * The Open Inference Protocol (KServe's v2 data plane, REST) over the same model: {@code <model>}
 * answers fill-mask, {@code <model>-nsp} next-sentence prediction (or {@code <model>} with the
 * parameter {@code "task": "nsp"}). Inputs are BYTES tensors of text (see {@link OipRequest}),
 * outputs are described in {@link OipTensors}. Every failure is {@code {"error": "..."}} with its
 * 4xx or 5xx status.
 */
@Path("/v2")
@Tag(name = "open inference protocol (v2)")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {
  static final String NSP_SUFFIX = "-nsp";
  static final String PLATFORM = "onnxruntime_onnx";

  @Inject InferenceService service;
  @Inject CurrentVersion holder;
  @Inject MiniBertConfig config;
  @Inject ManagedExecutor workers;

  @ConfigProperty(name = "quarkus.application.name")
  String serverName;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
  String serverVersion;

  enum Task {
    FILL_MASK,
    NSP
  }

  @GET
  @Operation(summary = "Server metadata")
  public OipDtos.ServerMetadata server() {
    return new OipDtos.ServerMetadata(serverName, serverVersion, List.of());
  }

  @GET
  @Path("/health/live")
  @Operation(summary = "Server liveness (200)")
  public OipDtos.Liveness live() {
    return new OipDtos.Liveness(true);
  }

  @GET
  @Path("/health/ready")
  @Operation(summary = "Server readiness: 200 while a model is loaded, 400 before")
  public Response ready() {
    boolean ready = holder.peek() != null;
    return Response.status(ready ? 200 : 400).entity(new OipDtos.Readiness(null, ready)).build();
  }

  @GET
  @Path("/models/{model}")
  @Operation(summary = "Model metadata: name, versions, platform, inputs, outputs")
  public OipDtos.ModelMetadata metadata(@PathParam("model") String model) {
    Task task = task(model);
    ServedVersion served = holder.peek();
    return new OipDtos.ModelMetadata(
        model,
        served == null ? List.of() : List.of(served.version()),
        PLATFORM,
        task == Task.NSP ? OipTensors.nspInputs() : OipTensors.fillMaskInputs(),
        task == Task.NSP ? OipTensors.nspOutputs() : OipTensors.fillMaskOutputs());
  }

  @GET
  @Path("/models/{model}/versions/{version}")
  @Operation(summary = "Model metadata of one version (the one being served)")
  public OipDtos.ModelMetadata metadata(
      @PathParam("model") String model, @PathParam("version") String version) {
    OipDtos.ModelMetadata metadata = metadata(model);
    served(model, version);
    return new OipDtos.ModelMetadata(
        model, List.of(version), metadata.platform(), metadata.inputs(), metadata.outputs());
  }

  @GET
  @Path("/models/{model}/ready")
  @Operation(summary = "Model readiness: 200 while loaded, 400 before")
  public Response modelReady(@PathParam("model") String model) {
    task(model);
    boolean ready = holder.peek() != null;
    return Response.status(ready ? 200 : 400).entity(new OipDtos.Readiness(model, ready)).build();
  }

  @GET
  @Path("/models/{model}/versions/{version}/ready")
  @Operation(summary = "Readiness of one version")
  public Response modelReady(
      @PathParam("model") String model, @PathParam("version") String version) {
    task(model);
    served(model, version);
    return Response.ok(new OipDtos.Readiness(model, true)).build();
  }

  @POST
  @Blocking
  @Path("/models/{model}/infer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Inference",
      description =
          "Fill-mask: one BYTES input of texts with [MASK] (parameters.top_k, default 5). NSP"
              + " (model <model>-nsp or parameters.task \"nsp\"): BYTES inputs first and second,"
              + " or one input of shape [N, 2].")
  public CompletionStage<Response> infer(@PathParam("model") String model, byte[] body) {
    return infer(model, null, body);
  }

  @POST
  @Blocking
  @Path("/models/{model}/versions/{version}/infer")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Inference by one version (the one being served)")
  public CompletionStage<Response> infer(
      @PathParam("model") String model, @PathParam("version") String version, byte[] body) {
    Task task = task(model);
    if (version != null) {
      served(model, version);
    }
    OipRequest request =
        OipRequest.parse(
            Requests.json(body, config.limits().maxBodyBytes()), config.limits().maxInputs());
    JsonNode taskParameter = request.parameters().get("task");
    if (taskParameter != null && !taskParameter.isNull()) {
      task =
          switch (taskParameter.asText()) {
            case "fill-mask", "fill_mask" -> Task.FILL_MASK;
            case "nsp", "next-sentence-prediction" -> Task.NSP;
            default ->
                throw new ApiException(
                    400, "parameters.task must be \"fill-mask\" or \"nsp\", got " + taskParameter);
          };
    }
    List<String> known =
        (task == Task.NSP ? OipTensors.nspOutputs() : OipTensors.fillMaskOutputs())
            .stream().map(OipDtos.TensorMetadata::name).toList();
    for (String name : request.outputs()) {
      if (!known.contains(name)) {
        throw new ApiException(400, "unknown output " + name + "; " + model + " has " + known);
      }
    }
    return task == Task.NSP ? nsp(model, request) : fillMask(model, request);
  }

  private CompletionStage<Response> fillMask(String model, OipRequest request) {
    if (request.inputs().size() != 1) {
      throw new ApiException(
          400,
          "fill-mask takes one BYTES input of texts, got " + request.inputs().size() + " inputs");
    }
    int topK = topK(request.parameters());
    List<String> texts = request.inputs().get(0).texts();
    RequestBudget.checkFillMask(texts, topK, null, config.limits());
    return service
        .fillMask(texts, topK, null, workers)
        .handle(
            (results, error) ->
                error != null
                    ? errorResponse(error)
                    : answer(
                        model,
                        results.get(0).version(),
                        request,
                        () -> OipTensors.fillMask(results)));
  }

  private CompletionStage<Response> nsp(String model, OipRequest request) {
    List<String[]> pairs = new ArrayList<>();
    OipRequest.Input first = request.input("first");
    OipRequest.Input second = request.input("second");
    if (request.inputs().size() == 2 && first != null && second != null) {
      if (first.texts().size() != second.texts().size()) {
        throw new ApiException(
            400,
            "first has "
                + first.texts().size()
                + " texts and second "
                + second.texts().size()
                + "; they are read in pairs");
      }
      for (int i = 0; i < first.texts().size(); i++) {
        pairs.add(new String[] {first.texts().get(i), second.texts().get(i)});
      }
    } else if (request.inputs().size() == 1
        && request.inputs().get(0).shape().size() == 2
        && request.inputs().get(0).shape().get(1) == 2) {
      List<String> texts = request.inputs().get(0).texts();
      for (int i = 0; i < texts.size(); i += 2) {
        pairs.add(new String[] {texts.get(i), texts.get(i + 1)});
      }
    } else {
      throw new ApiException(
          400,
          "next-sentence prediction takes two BYTES inputs named first and second (shape [N]),"
              + " or one input of shape [N, 2]");
    }
    for (int i = 0; i < pairs.size(); i++) {
      RequestBudget.checkLength(pairs.get(i)[0], "pair " + i + " first", config.limits());
      RequestBudget.checkLength(pairs.get(i)[1], "pair " + i + " second", config.limits());
    }
    return service
        .nsp(pairs, workers)
        .handle(
            (results, error) ->
                error != null
                    ? errorResponse(error)
                    : answer(
                        model, results.get(0).version(), request, () -> OipTensors.nsp(results)));
  }

  private interface Outputs {
    List<OipDtos.OutputTensor> get();
  }

  private Response answer(String model, String version, OipRequest request, Outputs outputs) {
    try {
      return Response.ok(
              new OipDtos.InferResponse(
                  model,
                  version,
                  request.id(),
                  OipTensors.select(outputs.get(), request.outputs())))
          .header(FillMaskResource.VERSION_HEADER, version)
          .build();
    } catch (RuntimeException e) {
      return errorResponse(e);
    }
  }

  private int topK(JsonNode parameters) {
    JsonNode k = parameters.get("top_k");
    if (k == null || k.isNull()) {
      return FillMaskResource.DEFAULT_TOP_K;
    }
    if (!k.isIntegralNumber() || !k.canConvertToInt()) {
      throw new ApiException(400, "parameters.top_k must be a whole number, got " + k);
    }
    return k.intValue();
  }

  /** The task of a model name; 404 for any other name. */
  private Task task(String model) {
    if (model.equals(config.model())) {
      return Task.FILL_MASK;
    }
    if (model.equals(config.model() + NSP_SUFFIX)) {
      return Task.NSP;
    }
    throw new ApiException(
        404,
        "unknown model "
            + model
            + "; this server has "
            + config.model()
            + " (fill-mask) and "
            + config.model()
            + NSP_SUFFIX
            + " (next-sentence prediction)");
  }

  /** Checks that {@code version} is the one being served: 404 otherwise, 503 before any. */
  private void served(String model, String version) {
    ServedVersion served = holder.peek();
    if (served == null) {
      throw new ApiException(503, "no model is loaded yet (" + holder.notReadyReason() + ")");
    }
    if (!served.version().equals(version)) {
      throw new ApiException(
          404,
          "version "
              + version
              + " of "
              + model
              + " is not loaded; this server serves version "
              + served.version());
    }
  }

  /** Every failure of this resource as the protocol's {@code {"error": "..."}}. */
  @ServerExceptionMapper
  public Response map(Throwable error) {
    return errorResponse(error);
  }

  /**
   * The protocol's error body for a failure, with the status and headers (Retry-After) {@link
   * Problems} gives it.
   */
  static Response errorResponse(Throwable error) {
    Response problem = Problems.response(error);
    String detail;
    try {
      detail = Json.MAPPER.readTree((String) problem.getEntity()).path("detail").asText();
    } catch (IOException | ClassCastException e) {
      detail = "HTTP " + problem.getStatus();
    }
    Response.ResponseBuilder out =
        Response.status(problem.getStatus())
            .type(MediaType.APPLICATION_JSON)
            .entity(new OipDtos.Error(detail));
    Object retryAfter = problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
    if (retryAfter != null) {
      out.header(HttpHeaders.RETRY_AFTER, retryAfter);
    }
    return out.build();
  }
}
