package org.minibert.k8s;

import java.util.List;
import java.util.Map;

/**
 * networking.k8s.io/v1 NetworkPolicy, reduced to the fields this chart writes (kubernetes-model-
 * networking is not among the cached jars). Parsed strictly like {@link ServiceMonitor}: an
 * undeclared field fails. A peer (podSelector, namespaceSelector, ipBlock) stays a map: the chart
 * copies those from values.
 */
record NetworkPolicy(String apiVersion, String kind, Metadata metadata, Spec spec) {
  record Metadata(
      String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

  record Spec(Selector podSelector, List<String> policyTypes, List<Rule> ingress) {}

  record Selector(Map<String, String> matchLabels) {}

  record Rule(List<Port> ports, List<Map<String, Object>> from) {}

  record Port(Object port, String protocol) {}
}
