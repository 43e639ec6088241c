package org.minibert.core.registry;

/**
 * Where things live in a store, and the files of a version folder (docs/export-and-registry.md,
 * "Store layout").
 *
 * <pre>
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;version&gt;/model.onnx, model.serving.onnx (optional), tokenizer.json, tokenizer_config.json, config.json, metrics.json
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;version&gt;/model.safetensors   the same weights for Hugging Face transformers
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;version&gt;/manifest.json   written last
 * &lt;root&gt;/&lt;model&gt;/LATEST                             the promoted version id, flipped last
 * &lt;root&gt;/&lt;model&gt;/HISTORY.json                       every move of LATEST, for rollback
 * &lt;root&gt;/&lt;model&gt;/REGISTRY.lock                      the lease writers hold while they move LATEST or prune
 * </pre>
 */
public final class ModelLayout {
  public static final String MODEL_ONNX = "model.onnx";
  public static final String MODEL_SAFETENSORS = "model.safetensors";

  /** The serving graph ({@link OnnxContract}); versions exported before it have none. */
  public static final String MODEL_SERVING_ONNX = "model.serving.onnx";

  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
  public static final String CONFIG_JSON = "config.json";
  public static final String METRICS_JSON = "metrics.json";
  public static final String MANIFEST_JSON = "manifest.json";
  public static final String LATEST = "LATEST";
  public static final String HISTORY = "HISTORY.json";

  private ModelLayout() {}

  public static String versionsPrefix(String model) {
    return model + "/versions/";
  }

  public static String versionPrefix(String model, String version) {
    return versionsPrefix(model) + version + "/";
  }

  public static String latestKey(String model) {
    return model + "/" + LATEST;
  }
}
