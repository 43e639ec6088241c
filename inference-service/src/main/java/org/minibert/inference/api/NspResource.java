package org.minibert.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.service.InferenceService;

/**
 * {@code POST /nsp}: does the second text follow the first? (index 0 of the logits = "follows", as
 * in BERT). Off the event loop like {@link FillMaskResource}.
 */
@Path("/nsp")
@Tag(name = "next-sentence prediction")
public class NspResource {
  @Inject InferenceService service;
  @Inject MiniBertConfig config;
  @Inject ManagedExecutor workers;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Next-sentence prediction",
      description =
          "Body {\"first\": \"...\", \"second\": \"...\"} or a list of such pairs; answers"
              + " {\"is_next\", \"probability\", \"logits\": [follows, random]} or a list of them.")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples = {
                @ExampleObject(
                    name = "one pair",
                    value = "{\"first\": \"나는 아침에 학교에 갔다.\", \"second\": \"수업은 9시에 시작했다.\"}"),
                @ExampleObject(
                    name = "several pairs",
                    value =
                        "[{\"first\": \"비가 왔다.\", \"second\": \"우산을 썼다.\"}, {\"first\": \"비가 왔다.\","
                            + " \"second\": \"주식이 올랐다.\"}]")
              }))
  @APIResponse(
      responseCode = "200",
      description = "prediction",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Dtos.NspResponse.class)))
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
  public CompletionStage<Response> post(byte[] body) {
    JsonNode root = Requests.json(body, config.limits().maxBodyBytes());
    boolean several = root.isArray();
    List<String[]> pairs = new ArrayList<>();
    if (several) {
      if (root.isEmpty()) {
        throw new ApiException(400, "the list of pairs is empty");
      }
      if (root.size() > config.limits().maxInputs()) {
        throw new ApiException(
            400,
            "the list has "
                + root.size()
                + " pairs; at most "
                + config.limits().maxInputs()
                + " are accepted");
      }
      for (int i = 0; i < root.size(); i++) {
        pairs.add(pair(root.get(i), "[" + i + "]."));
      }
    } else {
      pairs.add(pair(root, ""));
    }
    return service
        .nsp(pairs, workers)
        .handle(
            (results, error) -> {
              if (error != null) {
                return Problems.response(error);
              }
              List<Dtos.NspResponse> answers =
                  results.stream()
                      .map(r -> new Dtos.NspResponse(r.isNext(), r.probability(), r.logits()))
                      .toList();
              Object answer = several ? answers : answers.get(0);
              return Response.ok(answer)
                  .header(FillMaskResource.VERSION_HEADER, results.get(0).version())
                  .build();
            });
  }

  private String[] pair(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new ApiException(
          400,
          (where.isEmpty() ? "the body" : where.substring(0, where.length() - 1))
              + " must be an object like {\"first\": \"...\", \"second\": \"...\"}, got "
              + Requests.kind(node));
    }
    String first = Requests.string(node, "first", where);
    String second = Requests.string(node, "second", where);
    RequestBudget.checkLength(first, where + "first", config.limits());
    RequestBudget.checkLength(second, where + "second", config.limits());
    return new String[] {first, second};
  }
}
