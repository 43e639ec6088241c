package org.minibert.k8s;

import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), reduced to the fields this
 * chart writes. Parsed with FAIL_ON_UNKNOWN_PROPERTIES: a field that is not declared here (a typo)
 * fails the test. Field names follow the operator's CRD (spec.selector,
 * spec.endpoints[].port/path/interval).
 */
record ServiceMonitor(String apiVersion, String kind, Metadata metadata, Spec spec) {
  record Metadata(
      String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

  record Spec(Selector selector, List<Endpoint> endpoints) {}

  record Selector(Map<String, String> matchLabels) {}

  record Endpoint(String port, String path, String interval) {}
}
