package io.keywarden.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.expiry.ExpiryParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in deploy/examples: keywarden objects read into the model with no unknown field, each
 * AccessKey's provider is in the same file, and no expiry date runs out. Admission (schema and CEL)
 * is checked by ChartOnApiServerIT, which applies the directory to a real kube-apiserver.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("deploy", "examples");
  /** A date this far ahead outlives any release of this API version. */
  static final long YEARS_AHEAD = 20;
  static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyObjectReadsIntoTheModelAndNoExpiryRunsOut(Path file) throws IOException {
    List<JsonNode> objects = documents(file);
    assertThat(objects).as("objects in %s", file).isNotEmpty();
    Map<String, ProviderSpec> providers = new HashMap<>();
    List<AccessKey> accessKeys = new ArrayList<>();
    for (JsonNode object : objects) {
      switch (object.get("kind").asText()) {
        case "AccessKeyProvider" -> providers.put("AccessKeyProvider/" + name(object),
            STRICT.treeToValue(object, AccessKeyProvider.class).getSpec());
        case "ClusterAccessKeyProvider" -> providers.put("ClusterAccessKeyProvider/" + name(object),
            STRICT.treeToValue(object, ClusterAccessKeyProvider.class).getSpec());
        case "AccessKey" -> accessKeys.add(STRICT.treeToValue(object, AccessKey.class));
        default -> { }
      }
    }
    Instant farAhead = Instant.now().atZone(ZoneOffset.UTC).plusYears(YEARS_AHEAD).toInstant().truncatedTo(ChronoUnit.DAYS);
    for (AccessKey key : accessKeys) {
      String name = key.getMetadata().getName();
      String kind = key.getSpec().provider.kind == null ? "AccessKeyProvider" : key.getSpec().provider.kind.name();
      ProviderSpec provider = providers.get(kind + "/" + key.getSpec().provider.name);
      assertThat(provider).as("%s: the provider of AccessKey %s is in the same file", file, name).isNotNull();
      if (key.getSpec().expiry != null) {
        assertThat(provider.minio).as("%s: %s has a fixed date on MinIO, which takes dates at most 365 days ahead", file, name)
            .isNull();
        assertThat(ExpiryParser.parseExpiry(key.getSpec().expiry, ZoneOffset.UTC))
            .as("%s: the expiry of %s is at least %d years ahead", file, name, YEARS_AHEAD).isAfter(farAhead);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsListedInTheReadme(Path file) throws IOException {
    assertThat(Files.readString(EXAMPLES.resolve("README.md"))).contains("(" + file.getFileName() + ")");
  }

  private static String name(JsonNode object) {
    return object.get("metadata").get("name").asText();
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = yaml.getFactory().createParser(file.toFile())) {
      var values = yaml.readValues(parser, JsonNode.class);
      while (values.hasNext()) {
        JsonNode document = values.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }
}
