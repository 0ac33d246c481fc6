package io.keywarden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api-reference.md, as committed, covers every field and every CEL rule of the CRDs in crds/,
 * each under its kind. Without running the generator (ApiReferenceIT does, and compares byte for
 * byte), this catches a CRD changed without {@code make docs}, and a generator that skips fields.
 */
class ApiReferenceTest {
  static final Path PAGE = Path.of("docs", "api-reference.md");
  static final Path CRDS = Path.of("crds");

  @Test
  void everyFieldAndRuleOfEveryCrdIsOnThePageUnderItsKind() throws IOException {
    String page = Files.readString(PAGE);
    List<JsonNode> crds = crds();
    assertThat(crds).as("the CRDs in crds/").isNotEmpty();
    for (JsonNode crd : crds) {
      String kind = crd.path("spec").path("names").path("kind").asText();
      String section = section(page, kind);
      for (JsonNode version : crd.path("spec").path("versions")) {
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        List<String> anchors = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        walk(schema, "", anchors, messages);
        assertThat(anchors).as("the scan finds %s's fields", kind).contains("properties/spec", "properties/status");
        for (String anchor : anchors) {
          assertThat(section).as("%s field %s on docs/api-reference.md (run make docs)", kind, anchor)
              .contains("<a id=\"" + anchor + "\">");
        }
        for (String message : messages) {
          assertThat(section).as("%s admission rule on docs/api-reference.md (run make docs)", kind).contains(message);
        }
      }
    }
  }

  /** The text from the kind's heading to the next kind's. */
  static String section(String page, String kind) {
    int start = page.indexOf("\n## " + kind + "\n");
    assertThat(start).as("a section for %s on docs/api-reference.md", kind).isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  /** The anchors jsonschema2md gives the schema's fields (their JSON Schema paths), and its CEL messages. */
  private static void walk(JsonNode schema, String path, List<String> anchors, List<String> messages) {
    schema.path("x-kubernetes-validations").forEach(rule -> messages.add(rule.path("message").asText()));
    Iterator<Map.Entry<String, JsonNode>> children = schema.path("properties").fields();
    while (children.hasNext()) {
      Map.Entry<String, JsonNode> child = children.next();
      String childPath = path + (path.isEmpty() ? "" : "/") + "properties/" + child.getKey();
      anchors.add(childPath);
      walk(child.getValue(), childPath, anchors, messages);
    }
    if (schema.has("items")) {
      anchors.add(path + "/items");
      walk(schema.get("items"), path + "/items", anchors, messages);
    }
    if (schema.path("additionalProperties").isObject()) {
      anchors.add(path + "/additionalProperties");
      walk(schema.get("additionalProperties"), path + "/additionalProperties", anchors, messages);
    }
  }

  static List<JsonNode> crds() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        crds.add(yaml.readTree(file.toFile()));
      }
    }
    return crds;
  }
}
