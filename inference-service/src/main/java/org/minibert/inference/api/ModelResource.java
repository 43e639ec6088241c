package org.minibert.inference.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.minibert.core.io.Json;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.lifecycle.ModelLifecycle;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ModelUnavailableException;
import org.minibert.inference.version.ServedVersion;

/**
 * {@code GET /model}: which version is served, how it was made, and on which execution provider.
 */
@Path("/model")
@Tag(name = "model")
public class ModelResource {
  @Inject CurrentVersion holder;
  @Inject ModelLifecycle lifecycle;
  @Inject MiniBertConfig config;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The model being served: version, created_at, config, metrics, execution provider")
  @APIResponse(
      responseCode = "200",
      description = "the model",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Dtos.ModelInfo.class)))
  @APIResponse(
      responseCode = "503",
      description = "no model loaded yet",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Dtos.ModelInfo model() {
    ServedVersion model = holder.peek();
    if (model == null) {
      throw new ModelUnavailableException(
          "no model is loaded yet (" + holder.notReadyReason() + ")");
    }
    return new Dtos.ModelInfo(
        config.model(),
        model.version(),
        model.createdAt(),
        model.provider().label(),
        model.maxPositions(),
        model.vocabSize(),
        model.config(),
        model.metrics(),
        Json.MAPPER.valueToTree(model.manifest().parity()),
        Dtos.TrainingSource.of(model.manifest().source()),
        lifecycle.lastError());
  }
}
