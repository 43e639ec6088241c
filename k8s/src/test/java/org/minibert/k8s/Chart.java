package org.minibert.k8s;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the chart in-process with helm-java (Helm's Go library through JNA, from a Maven jar: no
 * helm binary, no download), and types every rendered object with fabric8's model classes. fabric8
 * keeps fields it does not know in {@code additionalProperties}; {@link #unknownProperties} finds
 * them so that a misspelled field fails.
 */
final class Chart {

  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path CHART = MODULE.resolve("helm/minibert");
  static final Path REPO = MODULE.getParent();
  static final String RELEASE = "minibert";
  static final String KUBE_VERSION = "1.33.0";

  static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** apiVersion/kind -> fabric8 class; a kind that is not listed here fails the test. */
  static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          // not in fabric8's Kubernetes model (openshift-model-monitoring 8.0.0 is not on Maven
          // Central): a strict local class for the fields this chart writes
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class));

  private static final Pattern SOURCE =
      Pattern.compile("^# Source: [^/]+/templates/(\\S+)$", Pattern.MULTILINE);

  private Chart() {}

  /**
   * One rendered document: the template it came from, its raw YAML, the parsed map, the typed
   * object.
   */
  record Doc(String template, String yaml, Map<String, Object> raw, Object typed) {
    String kind() {
      return (String) raw.get("kind");
    }

    String name() {
      @SuppressWarnings("unchecked")
      Map<String, Object> md = (Map<String, Object>) raw.get("metadata");
      return (String) md.get("name");
    }
  }

  record Rendered(String output, List<Doc> docs) {
    <T> List<T> all(Class<T> type) {
      return docs.stream().map(Doc::typed).filter(type::isInstance).map(type::cast).toList();
    }

    <T> T one(Class<T> type) {
      List<T> all = all(type);
      if (all.size() != 1) {
        throw new AssertionError(
            "expected one " + type.getSimpleName() + ", got " + all.size() + ": " + kinds());
      }
      return all.get(0);
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String suffix) {
      return all(type).stream().filter(o -> o.getMetadata().getName().endsWith(suffix)).findFirst();
    }

    List<String> kinds() {
      return docs.stream().map(d -> d.kind() + "/" + d.name()).toList();
    }
  }

  static LintResult lint(Path chart) {
    return new Helm(chart).lint().strict().call();
  }

  /**
   * helm template with the chart's defaults overridden by the given values YAML (empty for
   * defaults).
   */
  static Rendered render(String valuesYaml) {
    return render(CHART, valuesYaml);
  }

  static Rendered render(Path chart, String valuesYaml) {
    try {
      TemplateCommand cmd =
          new Helm(chart)
              .template()
              .withName(RELEASE)
              .withNamespace("minibert")
              .withKubeVersion(KUBE_VERSION);
      if (valuesYaml != null && !valuesYaml.isBlank()) {
        Path values = Files.createTempFile("values-", ".yaml");
        Files.writeString(values, valuesYaml);
        cmd = cmd.withValuesFile(values);
      }
      String out = cmd.call();
      return new Rendered(out, parse(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Rendered renderFile(Path valuesFile) {
    String out =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withKubeVersion(KUBE_VERSION)
            .withValuesFile(valuesFile)
            .call();
    return new Rendered(out, parse(out));
  }

  /** Splits a multi-document rendering, types every document and fails on unknown fields. */
  static List<Doc> parse(String output) {
    List<Doc> docs = new ArrayList<>();
    for (String part : output.split("(?m)^---\\s*$")) {
      if (part.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      Matcher m = SOURCE.matcher(part);
      String template = m.find() ? m.group(1) : "?";
      @SuppressWarnings("unchecked")
      Map<String, Object> raw = (Map<String, Object>) new Yaml(new LoaderOptions()).load(part);
      String key = raw.get("apiVersion") + "/" + raw.get("kind");
      Class<?> type = TYPES.get(key);
      if (type == null) {
        throw new AssertionError(template + ": no typed model for " + key);
      }
      Object typed;
      try {
        typed = JSON.convertValue(raw, type);
      } catch (RuntimeException e) {
        throw new AssertionError(
            template + ": " + key + " does not fit " + type.getName() + ": " + e.getMessage(), e);
      }
      List<String> unknown = unknownProperties(typed);
      if (!unknown.isEmpty()) {
        throw new AssertionError(
            template
                + ": "
                + key
                + " has fields that "
                + type.getSimpleName()
                + " does not know (misspelled or misplaced): "
                + unknown);
      }
      docs.add(new Doc(template, part, raw, typed));
    }
    return docs;
  }

  /** Paths of every non-empty additionalProperties map in a fabric8 object tree. */
  static List<String> unknownProperties(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found);
    return found;
  }

  private static void walk(Object o, String path, List<String> found) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      String n = m.getName();
      if (!n.startsWith("get") || n.equals("getClass")) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (n.equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add((path.isEmpty() ? "" : path + ".") + extra.keySet());
        }
      } else if (v != null
          && (v instanceof Collection
              || v instanceof Map
              || v.getClass().getName().startsWith("io.fabric8."))) {
        String field = Character.toLowerCase(n.charAt(3)) + n.substring(4);
        walk(v, path.isEmpty() ? field : path + "." + field, found);
      }
    }
  }

  /**
   * The chart's values.yaml merged with an override, for lint runs (helm-java's lint takes no
   * values).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    override.forEach(
        (k, v) -> {
          if (v instanceof Map && out.get(k) instanceof Map) {
            out.put(k, merge((Map<String, Object>) out.get(k), (Map<String, Object>) v));
          } else {
            out.put(k, v);
          }
        });
    return out;
  }

  static String names(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .collect(Collectors.joining(", "));
  }
}
