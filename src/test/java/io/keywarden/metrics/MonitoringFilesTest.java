package io.keywarden.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keywarden.api.v1alpha1.KeyState;
import io.keywarden.testsupport.InMemoryKeyBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alert rules the chart ships read only metrics the operator
 * exports: every metric name in their PromQL is in a scrape of keywarden's registry with every
 * meter registered.
 */
class MonitoringFilesTest {
  static final Path DASHBOARD = Path.of("charts", "keywarden", "files", "keywarden-dashboard.json");
  static final Path ALERTS = Path.of("charts", "keywarden", "files", "alerts.yaml");
  static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "increase", "by",
      "without", "on", "ignoring", "unless", "and", "or", "group_left", "group_right", "time", "abs", "absent");

  @Test
  void theDashboardReadsOnlyExportedMetrics() throws IOException {
    List<String> exprs = new ArrayList<>();
    new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> exprs.add(e.asText()));
    assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThan(5);
    assertThat(metricNames(exprs)).isNotEmpty().isSubsetOf(exported());
  }

  @Test
  void theAlertsReadOnlyExportedMetrics() throws IOException {
    List<String> exprs = new ArrayList<>();
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
    rules.findValues("expr").forEach(e -> exprs.add(e.asText()));
    assertThat(exprs).as("the alert rules").hasSize(4);
    assertThat(metricNames(exprs)).isNotEmpty().isSubsetOf(exported());
  }

  @Test
  void theNameScanFindsMetricsAndNotLabelsOrFunctions() {
    assertThat(metricNames(List.of(
        "sum by (provider) (increase(keywarden_backend_calls_total{operation=\"whoAmI\", outcome!=\"x\"}[15m])) > 0"
            + " unless on (provider) min(other_metric) < 3 * 86400")))
        .containsExactlyInAnyOrder("keywarden_backend_calls_total", "other_metric");
  }

  /** Metric names in PromQL: identifiers outside label matchers, groupings, ranges and strings, minus PromQL's words. */
  static Set<String> metricNames(List<String> exprs) {
    Set<String> names = new TreeSet<>();
    for (String expr : exprs) {
      String bare = expr.replaceAll("\"[^\"]*\"", "")
          .replaceAll("\\{[^}]*}", " ")
          .replaceAll("\\[[^]]*]", " ")
          .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
      Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
      while (m.find()) {
        if (!PROMQL_WORDS.contains(m.group())) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  /** Every series name keywarden's registry exports once each kind of meter exists. */
  static Set<String> exported() {
    Clock clock = Clock.systemUTC();
    KeywardenMetrics metrics = new KeywardenMetrics(clock);
    metrics.keyPublished("ns/a", KeyState.Active, Instant.now(), Instant.now());
    metrics.keyFailing("ns/b", "Throttled");
    metrics.metered("AccessKeyProvider/ns/p", new InMemoryKeyBackend(clock)).whoAmI();
    return metrics.scrape().lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
