package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.budget.BudgetLimit;
import io.keywarden.expiry.ExpiryParser;
import io.keywarden.shard.Shard;
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

  /** The chart refuses a shard name exactly when the operator would (KEYWARDEN_SHARD), not at the pod's start. */
  @ParameterizedTest
  @ValueSource(strings = {"a", "team-a", "0", "Team-A", "team_a", "-a", "a-", "a.b", "",
      "a234567890123456789012345678901234567890", "a2345678901234567890123456789012345678901"})
  void shardNamesTheSchemaTakesAreTheOnesTheOperatorTakes(String name) throws IOException {
    JsonNode rule = new ObjectMapper().readTree(Helm.CHART.resolve("values.schema.json").toFile())
        .at("/properties/shards/items/properties/name");
    boolean chartTakes = name.length() <= rule.get("maxLength").asInt()
        && java.util.regex.Pattern.compile(rule.get("pattern").asText()).matcher(name).find();
    boolean operatorTakes;
    try {
      operatorTakes = !Shard.named(name).isDefault();
    } catch (IllegalArgumentException e) {
      operatorTakes = false;
    }
    assertThat(chartTakes).as(name).isEqualTo(operatorTakes);
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
