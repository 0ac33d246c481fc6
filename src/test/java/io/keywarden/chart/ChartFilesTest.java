package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.expiry.ExpiryParser;
import io.keywarden.testsupport.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The copies of crds/ in the chart and in deploy/ stay byte-identical to it (`make crds` syncs them). */
class ChartFilesTest {

  @ParameterizedTest
  @ValueSource(strings = {"charts/keywarden/crds", "deploy/crds"})
  void crdCopiesAreByteIdentical(String dir) throws IOException {
    assertThat(fileNames(Path.of(dir))).containsExactlyInAnyOrderElementsOf(fileNames(Crds.DIR));
    for (String file : Crds.FILES) {
      assertThat(Path.of(dir, file)).hasSameBinaryContentAs(Crds.DIR.resolve(file));
    }
  }

  @Test
  void resyncIntervalPatternIsTheOperatorsDurationPattern() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(Helm.CHART.resolve("values.schema.json").toFile());
    assertThat(schema.at("/properties/resyncInterval/pattern").asText()).isEqualTo(ExpiryParser.DURATION_PATTERN);
  }

  @Test
  void backendCallsPerSecondNamesTheBackendsOfTheCallBudget() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(Helm.CHART.resolve("values.schema.json").toFile());
    List<String> kinds = new java.util.ArrayList<>();
    schema.at("/properties/backendCallsPerSecond/properties").fieldNames().forEachRemaining(kinds::add);
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(BudgetLimit.DEFAULTS.keySet());
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
