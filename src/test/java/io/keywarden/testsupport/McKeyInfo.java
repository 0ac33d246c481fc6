package io.keywarden.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code mc admin accesskey info --json} says about a key, less its identity: the fields to
 * compare between a key made by keywarden and one made by {@code mc admin accesskey create}.
 */
public final class McKeyInfo {

  /** The fields that describe a key (not its access key id, which must differ). */
  public static final List<String> FIELDS =
      List.of("parentUser", "accountStatus", "impliedPolicy", "policy", "name", "description", "expiration");
  private static final ObjectMapper JSON = new ObjectMapper();

  private McKeyInfo() {}

  /**
   * The describing fields that are present. For a key without its own policy, {@code policy} is its
   * user's, whose lists MinIO orders at random: lists of strings are sorted.
   */
  public static ObjectNode describing(Mc mc, String accessKey) {
    JsonNode info = mc.json("admin", "accesskey", "info", Mc.ALIAS, accessKey);
    ObjectNode fields = JSON.createObjectNode();
    for (String field : FIELDS) {
      if (info.has(field)) {
        fields.set(field, sortStringLists(info.get(field)));
      }
    }
    return fields;
  }

  private static JsonNode sortStringLists(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> sorted.set(e.getKey(), sortStringLists(e.getValue())));
      return sorted;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(item -> items.add(sortStringLists(item)));
      if (items.stream().allMatch(JsonNode::isTextual)) {
        items.sort(Comparator.comparing(JsonNode::asText));
      }
      return JSON.createArrayNode().addAll(items);
    }
    return node;
  }
}
