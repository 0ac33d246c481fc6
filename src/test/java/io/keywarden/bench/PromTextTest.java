package io.keywarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromTextTest {
  static final String TEXT = """
      # HELP apiserver_request_total [STABLE] Counter of apiserver requests
      # TYPE apiserver_request_total counter
      apiserver_request_total{code="201",component="apiserver",group="",resource="secrets",scope="resource",subresource="",verb="POST",version="v1"} 1000
      apiserver_request_total{code="200",component="apiserver",group="keywarden.io",resource="accesskeys",scope="resource",subresource="status",verb="PUT",version="v1alpha1"} 2000
      apiserver_request_total{code="200",component="apiserver",group="keywarden.io",resource="accesskeys",scope="resource",subresource="",verb="PATCH",version="v1alpha1"} 1e3
      apiserver_request_total{code="200",component="apiserver",group="",resource="secrets",scope="namespace",subresource="",verb="LIST",version="v1"} 7
      keywarden_backend_calls_total{operation="create",outcome="success",provider="ns/aws",} 5.0
      keywarden_seconds_until_next_expiry NaN
      odd_label{message="a \\"quoted\\", comma",le="+Inf"} 2 1700000000000
      """;

  static Stream<Arguments> sums() {
    return Stream.of(
        Arguments.of("every sample of a name", "apiserver_request_total", null, null, 4007.0),
        Arguments.of("by verb", "apiserver_request_total", "verb", "PUT", 2000.0),
        Arguments.of("by resource", "apiserver_request_total", "resource", "secrets", 1007.0),
        Arguments.of("trailing comma in labels", "keywarden_backend_calls_total", "operation", "create", 5.0),
        Arguments.of("escaped quote and comma in a label value", "odd_label", "message", "a \"quoted\", comma", 2.0),
        Arguments.of("a timestamp after the value is ignored", "odd_label", "le", "+Inf", 2.0),
        Arguments.of("no such metric", "nothing_here", null, null, 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sums")
  void sumsSamples(String why, String name, String label, String value, double expected) {
    PromText text = PromText.parse(TEXT);
    double sum = label == null ? text.sum(name) : text.sum(name, s -> s.label(label).equals(value));
    assertThat(sum).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void readsSpecialValues(String line, double expected) {
    assertThat(Double.valueOf(PromText.parse(line).samples().get(0).value())).isEqualTo(Double.valueOf(expected));
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("x NaN", Double.NaN),
        Arguments.of("x +Inf", Double.POSITIVE_INFINITY),
        Arguments.of("x{a=\"b\"} -Inf", Double.NEGATIVE_INFINITY),
        Arguments.of("x 1.5e2", 150.0));
  }
}
